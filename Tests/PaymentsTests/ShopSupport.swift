import Core
import Foundation
import Storage
import TestSupport

/// An app with a merchant and an admin, and shortcuts for products, funded buyers, orders and coupons: in process
/// by default; on a socket (`startServer`) for races against the real server and restarts on the same file.
struct Shop<Server: TestApp> {
    let server: Server
    let merchant: String
    let admin: String

    private static func start(_ make: () async throws -> Server) async throws -> Shop {
        await ServerGate.shared.acquire()
        do {
            let server = try await make()
            do {
                let (merchant, _) = try await server.signUp(roles: [.merchant])
                let (admin, _) = try await server.signUp(roles: [.admin])
                return Shop(server: server, merchant: merchant, admin: admin)
            } catch {
                await server.stop()
                throw error
            }
        } catch {
            await ServerGate.shared.release()
            throw error
        }
    }

    func stop() async {
        await server.stop()
        await ServerGate.shared.release()
    }

    @discardableResult
    func product(_ title: String = "Teekanne", price: Int64 = 1000, stock: Int64 = 100) async throws -> String {
        let response = try await server.send("POST", "/v1/products", json: [
            "sku": .string("SKU-\(UUID().uuidString.prefix(12))"), "title": .string(title), "price_cents": .int(price),
            "stock": .int(stock), "category": "test",
        ], token: merchant)
        guard response.status == 201, let id = response.json["id"]?.stringValue else {
            throw TestClientError("product failed: \(response.status) \(response.text)")
        }
        return id
    }

    /// A new customer whose wallet holds `funds` cents (sandbox top-ups of at most 1000 € each).
    func buyer(funds: Int64 = 0) async throws -> (token: String, id: String) {
        let (token, id) = try await server.signUp()
        let buyer = (token: token, id: id)
        var left = funds
        while left > 0 {
            let amount = min(max(left, 100), 100_000)
            try await topUp(amount, token: buyer.token)
            left -= amount
        }
        return buyer
    }

    @discardableResult
    func topUp(_ amount: Int64, token: String) async throws -> TestResponse {
        let response = try await server.send(
            "POST", "/v1/wallet/top-ups", json: ["amount_cents": .int(amount), "method": "sandbox"], token: token
        )
        guard response.status == 201 else { throw TestClientError("top-up failed: \(response.status) \(response.text)") }
        return response
    }

    func order(
        _ lines: [(String, Int64)], token: String, coupon: String? = nil, key: String? = nil
    ) async throws -> TestResponse {
        var body: [(String, JSON)] = [
            ("items", .array(lines.map { ["product_id": .string($0.0), "quantity": .int($0.1)] })),
        ]
        if let coupon { body.append(("coupon_id", .string(coupon))) }
        return try await server.send(
            "POST", "/v1/orders", json: .object(body), token: token, headers: key.map { [("Idempotency-Key", $0)] } ?? []
        )
    }

    func refund(_ orderID: String, _ lines: [(String, Int64)]? = nil, token: String, key: String? = nil) async throws -> TestResponse {
        var body: [(String, JSON)] = [("reason", "test")]
        if let lines { body.append(("items", .array(lines.map { ["product_id": .string($0.0), "quantity": .int($0.1)] }))) }
        return try await server.send(
            "POST", "/v1/orders/\(orderID)/refunds", json: .object(body), token: token,
            headers: key.map { [("Idempotency-Key", $0)] } ?? []
        )
    }

    func balance(_ token: String) async throws -> Int64 {
        try await server.send("GET", "/v1/wallet", token: token).json["balance_cents"]?.intValue ?? -1
    }

    func stock(_ productID: String) async throws -> Int64 {
        try await server.send("GET", "/v1/products/\(productID)", token: merchant).json["stock"]?.intValue ?? -1
    }

    func ledger() async throws -> JSON {
        try await server.send("GET", "/v1/admin/ledger/check", token: admin).json
    }

    /// A coupon of a new campaign, issued straight into the database (the coupon routes belong to another module).
    func coupon(
        for accountID: String, percent: Int64? = nil, fixed: Int64? = nil, minSpend: Int64 = 0,
        status: String = "active", validUntilOffset: Int64 = 86400
    ) async throws -> String {
        let campaign = "cmp_\(UUID().uuidString.prefix(16))"
        let coupon = "cpn_\(UUID().uuidString.prefix(16))"
        let now = server.clock.now().epochSeconds
        try await server.database.write { db in
            try db.run(
                """
                INSERT INTO campaigns (id, name, discount_type, discount_value, min_spend_cents, valid_from, valid_until,
                    max_coupons, per_account_limit, status, issued, created_at)
                VALUES (?, 'Test', ?, ?, ?, ?, ?, 100, 5, ?, 1, ?)
                """,
                campaign, percent != nil ? "percent" : "fixed", percent ?? fixed ?? 0, minSpend, now - 60,
                now + validUntilOffset, status, now
            )
            try db.run(
                "INSERT INTO coupons (id, campaign_id, account_id, source, created_at) VALUES (?, ?, ?, 'grant', ?)",
                coupon, campaign, accountID, now
            )
        }
        return coupon
    }

    /// Sum of a wallet's ledger entries, straight from the database.
    func entrySum(of accountID: String) async throws -> Int64 {
        try await server.database.read { db in
            try db.scalar(
                "SELECT COALESCE(SUM(amount_cents), 0) FROM ledger_entries WHERE ledger_account_id = ?", "wallet:\(accountID)"
            ) ?? 0
        }
    }
}

extension Shop where Server == InProcessApp {
    static func start(clock: any WallClock = SystemClock(), testClock: Bool = false) async throws -> Shop {
        try await start { try await InProcessApp(clock: clock, testClock: testClock) }
    }
}

extension Shop where Server == TestServer {
    static func startServer(databasePath: String? = nil, testClock: Bool = false) async throws -> Shop {
        try await start { try await TestServer(databasePath: databasePath, testClock: testClock) }
    }

    /// Stops the server; `removeDatabase: false` keeps the file for a restart.
    func stop(removeDatabase: Bool) async {
        await server.stop(removeDatabase: removeDatabase)
        await ServerGate.shared.release()
    }
}

extension JSON {
    var id: String { self["id"]?.stringValue ?? "" }
}

extension TestResponse {
    var firstErrorField: String? { json["errors"]?.arrayValue?.first?["field"]?.stringValue }
}
