import Core
import Foundation
import Storage
import Testing
import TestSupport

/// Shortcuts the live-shopping tests share; each goes through the HTTP API except where the API has no way
/// (campaigns are inserted directly, as their routes belong to another module).
struct LiveFixture<Server: TestApp> {
    let server: Server
    let hostToken: String
    let hostID: String

    init(_ server: Server) async throws {
        self.server = server
        (hostToken, hostID) = try await server.signUp(name: "Hanna Host", roles: [.host])
    }

    /// The same host on another server over the same database (restart tests).
    init(server: Server, hostToken: String, hostID: String) {
        self.server = server
        self.hostToken = hostToken
        self.hostID = hostID
    }

    /// A session, started unless `start` is false.
    func session(start: Bool = true, title: String = "Tea time") async throws -> String {
        let created = try await server.send(
            "POST", "/v1/live-sessions", json: ["title": .string(title), "description": "Porcelain"], token: hostToken
        )
        try #require(created.status == 201, "\(created.text)")
        let id = try #require(created.json["id"]?.stringValue)
        if start {
            let started = try await server.send("POST", "/v1/live-sessions/\(id)/start", token: hostToken)
            try #require(started.status == 200, "\(started.text)")
        }
        return id
    }

    /// A product created by a merchant.
    func product(stock: Int64, priceCents: Int64 = 2500, description: String = "A product") async throws -> String {
        let (merchant, _) = try await server.signUp(roles: [.merchant])
        let response = try await server.send("POST", "/v1/products", json: [
            "sku": .string("SKU-\(UUID().uuidString.prefix(12))"), "title": "Teapot", "description": .string(description),
            "price_cents": .int(priceCents), "stock": .int(stock), "category": "kaffee-tee",
        ], token: merchant)
        try #require(response.status == 201, "\(response.text)")
        return try #require(response.json["id"]?.stringValue)
    }

    func stock(of productID: String) async throws -> Int64 {
        try #require(try await server.send("GET", "/v1/products/\(productID)").json["stock"]?.intValue)
    }

    /// A customer with money in the wallet.
    func buyer(cents: Int64 = 10_000) async throws -> (token: String, accountID: String) {
        let account = try await server.signUp(name: "Bea Buyer")
        let topUp = try await server.send(
            "POST", "/v1/wallet/top-ups", json: ["amount_cents": .int(cents), "method": "sandbox"], token: account.token
        )
        try #require(topUp.status == 201, "\(topUp.text)")
        return account
    }

    /// An active campaign valid now, inserted directly.
    func campaign(maxCoupons: Int64 = 100) async throws -> String {
        let id = "cmp_test\(UUID().uuidString.prefix(8))"
        let now = server.clock.now().epochSeconds
        try await server.database.write { db in
            try db.run(
                """
                INSERT INTO campaigns (id, name, discount_type, discount_value, min_spend_cents, valid_from, valid_until,
                    max_coupons, per_account_limit, status, created_at)
                VALUES (?, 'Live drop', 'percent', 10, 0, ?, ?, ?, 5, 'active', ?)
                """,
                id, now - 3600, now + 86_400, maxCoupons, now
            )
        }
        return id
    }

    /// Posts a chat message as a new account (chat allows one per second per account).
    @discardableResult
    func chat(_ sessionID: String, _ text: String) async throws -> TestResponse {
        let (token, _) = try await server.signUp(name: "Chatty Viewer")
        return try await server.send("POST", "/v1/live-sessions/\(sessionID)/messages", json: ["text": .string(text)], token: token)
    }
}

/// Runs `body` against a fresh app from `make` and always stops it.
func running<App: TestApp>(_ make: () async throws -> App, _ body: (App) async throws -> Void) async throws {
    let app = try await make()
    do {
        try await body(app)
    } catch {
        await app.stop()
        throw error
    }
    await app.stop()
}

/// Runs `body` against a fresh server on a socket (event streams, parallel requests, restarts); `testClock` starts
/// it as `basar serve --test-clock`.
func withServer(
    clock: any WallClock = SystemClock(), testClock: Bool = false, _ body: (TestServer) async throws -> Void
) async throws {
    try await running({ try await TestServer(clock: clock, testClock: testClock) }, body)
}

/// Runs `body` against a fresh in-process app: requests go to the API and nothing runs in the background.
func withApp(
    clock: any WallClock = SystemClock(), testClock: Bool = false, _ body: (InProcessApp) async throws -> Void
) async throws {
    try await running({ try await InProcessApp(clock: clock, testClock: testClock) }, body)
}

extension LiveFixture where Server == TestServer {
    /// Opens an event stream and checks its head.
    func stream(_ sessionID: String, token: String? = nil, lastEventID: String? = nil) async throws -> SSEClient {
        let client = try await SSEClient.connect(
            port: server.port, path: "/v1/live-sessions/\(sessionID)/events", token: token, lastEventID: lastEventID
        )
        try #require(client.status == 200)
        return client
    }
}

extension LiveFixture {
    /// Pins a product without a flash deal and returns the pin's id.
    func pinID(_ sessionID: String, product productID: String) async throws -> String {
        let pin = try await server.send(
            "POST", "/v1/live-sessions/\(sessionID)/pins", json: ["product_id": .string(productID)], token: hostToken
        )
        try #require(pin.status == 201, "\(pin.text)")
        return try #require(pin.json["id"]?.stringValue)
    }
}
