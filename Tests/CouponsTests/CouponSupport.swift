import Core
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TestSupport

/// An app with a merchant, and shortcuts for campaigns, codes, claims, products and funded buyers — all through the
/// API: in process by default, on a socket (`withServer`) for parallel bursts and the CLI beside a running server.
struct CouponShop<Server: TestApp> {
    let server: Server
    let merchant: String

    /// Runs `body` against a fresh app from `make` and always stops it.
    private static func withApp(_ make: () async throws -> Server, _ body: (CouponShop) async throws -> Void) async throws {
        let server = try await make()
        do {
            let (merchant, _) = try await server.signUp(roles: [.merchant])
            try await body(CouponShop(server: server, merchant: merchant))
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    var now: Int64 { server.clock.now().epochSeconds }

    /// A valid `POST /v1/campaigns` body (valid from an hour ago for a day) with `overrides` replacing or adding
    /// members; a `nil` override removes the member.
    func campaignBody(_ overrides: [String: JSON?] = [:]) -> JSON {
        var members: [(String, JSON)] = [
            ("name", "Autumn sale"), ("discount", ["type": "percent", "value": 10]),
            ("valid_from", .string(Timestamp.format(epochSeconds: now - 3600))),
            ("valid_until", .string(Timestamp.format(epochSeconds: now + 86400))), ("max_coupons", 100),
        ]
        for (key, value) in overrides.sorted(by: { $0.key < $1.key }) {
            members.removeAll { $0.0 == key }
            if let value { members.append((key, value)) }
        }
        return .object(members)
    }

    /// Creates a campaign and returns its JSON.
    func campaign(_ overrides: [String: JSON?] = [:]) async throws -> JSON {
        let response = try await server.call("POST", "/v1/campaigns", json: campaignBody(overrides), token: merchant)
        guard response.status == 201 else { throw TestClientError("campaign failed: \(response.status) \(response.text)") }
        return response.json
    }

    func campaign(id: String) async throws -> JSON {
        try await server.call("GET", "/v1/campaigns/\(id)", token: merchant).json
    }

    func setStatus(_ status: String, of id: String) async throws -> TestResponse {
        try await server.call("PATCH", "/v1/campaigns/\(id)", json: ["status": .string(status)], token: merchant)
    }

    /// Generates `count` codes and returns every code of the campaign (all pages).
    func codes(_ campaignID: String, count: Int64, pattern: String? = nil) async throws -> [String] {
        var body: [(String, JSON)] = [("count", .int(count))]
        if let pattern { body.append(("pattern", .string(pattern))) }
        let response = try await server.call("POST", "/v1/campaigns/\(campaignID)/codes", json: .object(body), token: merchant)
        guard response.status == 201 else { throw TestClientError("codes failed: \(response.status) \(response.text)") }
        return try await listCodes(campaignID).compactMap { $0["code"]?.stringValue }
    }

    /// Every item of `GET /v1/campaigns/{id}/codes`, following the cursor.
    func listCodes(_ campaignID: String) async throws -> [JSON] {
        var items: [JSON] = []
        var cursor: String?
        for _ in 0..<1000 {
            let query = cursor.map { "&cursor=\($0)" } ?? ""
            let page = try await server.call("GET", "/v1/campaigns/\(campaignID)/codes?limit=100\(query)", token: merchant)
            guard page.status == 200 else { throw TestClientError("code list failed: \(page.status) \(page.text)") }
            items += page.json["data"]?.arrayValue ?? []
            cursor = page.json["next_cursor"]?.stringValue
            if cursor == nil { break }
        }
        return items
    }

    func claim(_ code: String, token: String, key: String? = nil) async throws -> TestResponse {
        try await server.call(
            "POST", "/v1/coupons/claim", json: ["code": .string(code)], token: token,
            headers: key.map { [("Idempotency-Key", $0)] } ?? []
        )
    }

    /// A coupon of a new campaign for the holder of `token`, through a generated code and a claim.
    func coupon(_ overrides: [String: JSON?] = [:], token: String) async throws -> (couponID: String, campaignID: String) {
        let campaignID = try await campaign(overrides).id
        let code = try await codes(campaignID, count: 1)[0]
        let response = try await claim(code, token: token)
        guard response.status == 201 else { throw TestClientError("claim failed: \(response.status) \(response.text)") }
        return (response.json.id, campaignID)
    }

    // MARK: - Checkout (Payments' routes, used to redeem)

    func product(price: Int64, stock: Int64 = 1000) async throws -> String {
        let response = try await server.call("POST", "/v1/products", json: [
            "sku": .string("SKU-\(UUID().uuidString.prefix(12))"), "title": "Teekanne", "price_cents": .int(price),
            "stock": .int(stock), "category": "test",
        ], token: merchant)
        guard response.status == 201 else { throw TestClientError("product failed: \(response.status) \(response.text)") }
        return response.json.id
    }

    /// A new customer with `funds` cents in the wallet.
    func buyer(funds: Int64 = 100_000) async throws -> (token: String, id: String) {
        let (token, id) = try await server.signUp()
        if funds > 0 {
            let response = try await server.call(
                "POST", "/v1/wallet/top-ups", json: ["amount_cents": .int(funds), "method": "sandbox"], token: token
            )
            guard response.status == 201 else { throw TestClientError("top-up failed: \(response.status) \(response.text)") }
        }
        return (token, id)
    }

    func order(_ productID: String, quantity: Int64 = 1, coupon: String?, token: String) async throws -> TestResponse {
        var body: [(String, JSON)] = [("items", [["product_id": .string(productID), "quantity": .int(quantity)]])]
        if let coupon { body.append(("coupon_id", .string(coupon))) }
        return try await server.call("POST", "/v1/orders", json: .object(body), token: token)
    }

    /// `count` customers with a token each, written straight into the database: yescrypt sign-ups of 40 accounts
    /// on a loaded 2-core machine would take longer than the tests they serve. (Sign-up itself is tested elsewhere.)
    func customers(_ count: Int) async throws -> [String] {
        let now = now
        let accounts = (0..<count).map { _ in ("acct_\(UUID().uuidString.prefix(16))", Hex.encode(SecureRandom.bytes(32))) }
        try await server.database.write { db in
            for (id, token) in accounts {
                try db.run(
                    "INSERT INTO accounts (id, email, password_hash, display_name, created_at) VALUES (?, ?, '!', 'Crowd', ?)",
                    id, "\(id)@example.com", now
                )
                try db.run(
                    "INSERT INTO access_tokens (token_hash, account_id, created_at) VALUES (?, ?, ?)",
                    SHA256.hash(Array(token.utf8)), id, now
                )
            }
        }
        return accounts.map(\.1)
    }
}

extension JSON {
    var id: String { self["id"]?.stringValue ?? "" }
    var stats: JSON { self["stats"] ?? .null }
}

extension TestResponse {
    var firstErrorField: String? { json["errors"]?.arrayValue?.first?["field"]?.stringValue }
    var reason: String? { json["reason"]?.stringValue }
}

/// The random parts of a code use digits 2–9 and letters other than I, L and O.
func matches(_ code: String, pattern: String) -> Bool {
    let digits = Set("23456789")
    let letters = Set("ABCDEFGHJKMNPQRSTUVWXYZ")
    let p = Array(pattern.uppercased())
    let c = Array(code)
    guard p.count == c.count else { return false }
    return zip(p, c).allSatisfy { pc, cc in
        switch pc {
        case "#": digits.contains(cc)
        case "?": letters.contains(cc)
        default: pc == cc
        }
    }
}

/// Runs blocking work on a thread of its own (TestSupport's `BlockingThread`).
func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await BlockingThread.run(work)
}

/// `basar …` as a subprocess, waited for on its own thread.
func basar(_ arguments: [String]) async throws -> (code: Int32, stdout: String, stderr: String) {
    try await BasarBinary.execute(arguments)
}

extension CouponShop where Server == InProcessApp {
    static func with(clock: any WallClock = SystemClock(), _ body: (CouponShop) async throws -> Void) async throws {
        try await withApp({ try await InProcessApp(clock: clock) }, body)
    }
}

extension CouponShop where Server == TestServer {
    static func withServer(_ body: (CouponShop) async throws -> Void) async throws {
        try await withApp({ try await TestServer() }, body)
    }
}

extension TestApp {
    /// The tests' bursts of parallel requests; a server's `send` already blocks a thread of its own per request.
    func call(
        _ method: String, _ path: String, json: JSON? = nil, token: String? = nil, headers: [(String, String)] = []
    ) async throws -> TestResponse {
        try await send(method, path, json: json, token: token, headers: headers)
    }
}
