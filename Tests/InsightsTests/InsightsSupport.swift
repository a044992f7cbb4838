import Core
import Foundation
import Storage
import Testing
import TestSupport

/// An app with an admin and a merchant, shared by the insights tests: in process by default (a test moves the
/// consumers and the scheduler itself); on a socket (`withServer`) where the point is that they run on their own.
struct InsightsWorld<Server: TestApp>: TestFixture {
    let server: Server
    let admin: String
    let merchant: String

    static func make(on server: Server) async throws -> InsightsWorld {
        let (admin, _) = try await server.signUp(roles: [.admin])
        let (merchant, _) = try await server.signUp(roles: [.merchant])
        return InsightsWorld(server: server, admin: admin, merchant: merchant)
    }

    /// A customer with money.
    func buyer(funds: Int64 = 50_000) async throws -> (token: String, id: String) {
        let (token, id) = try await server.signUp(name: "Erika Mustermann")
        let topUp = try await server.send("POST", "/v1/wallet/top-ups", json: ["amount_cents": .int(funds), "method": "sandbox"], token: token)
        try #require(topUp.status == 201, "\(topUp.text)")
        return (token, id)
    }

    func product(_ title: String, category: String, price: Int64 = 1_000, stock: Int64 = 50) async throws -> String {
        let response = try await server.send("POST", "/v1/products", json: [
            "sku": .string("SKU-\(UUID().uuidString.prefix(12))"), "title": .string(title), "price_cents": .int(price),
            "stock": .int(stock), "category": .string(category),
        ], token: merchant)
        try #require(response.status == 201, "\(response.text)")
        return try #require(response.json["id"]?.stringValue)
    }

    /// Places an order of `lines` (product, quantity) and returns its id.
    @discardableResult
    func order(_ lines: [(String, Int64)], token: String, coupon: String? = nil) async throws -> String {
        var body: [(String, JSON)] = [("items", .array(lines.map { ["product_id": .string($0.0), "quantity": .int($0.1)] }))]
        if let coupon { body.append(("coupon_id", .string(coupon))) }
        let response = try await server.send("POST", "/v1/orders", json: .object(body), token: token)
        try #require(response.status == 201, "\(response.text)")
        return try #require(response.json["id"]?.stringValue)
    }

    func refund(_ orderID: String, _ lines: [(String, Int64)]? = nil, token: String) async throws {
        var body: [(String, JSON)] = [("reason", "test")]
        if let lines { body.append(("items", .array(lines.map { ["product_id": .string($0.0), "quantity": .int($0.1)] }))) }
        let response = try await server.send("POST", "/v1/orders/\(orderID)/refunds", json: .object(body), token: token)
        try #require(response.status == 201, "\(response.text)")
    }

    /// Grants or withdraws a consent purpose through the API, with the current notice.
    func consent(_ purpose: String, _ granted: Bool, token: String) async throws {
        let notices = try await server.send("GET", "/v1/privacy/notices")
        let version = notices.json["data"]?.arrayValue?.first { $0["purpose"]?.stringValue == purpose }?["version"] ?? .null
        let response = try await server.send(
            "PUT", "/v1/me/consents/\(purpose)", json: ["granted": .bool(granted), "notice_version": version], token: token
        )
        try #require(response.status == 200, "\(response.text)")
    }

    /// Lets the event consumers handle everything committed so far.
    func settle() async { await server.app.dispatcher.catchUp() }

    /// Accounts written straight into the database (no password hashing), for tests that need many.
    func insertAccounts(_ ids: [String], analytics: Bool) async throws {
        try await server.database.write { db in
            for id in ids {
                try db.run(
                    "INSERT INTO accounts (id, email, password_hash, display_name, created_at) VALUES (?, ?, '!', 'X', 0)",
                    id, id + "@example.com"
                )
                if analytics {
                    try db.run(
                        """
                        INSERT INTO consent_records (id, account_id, purpose, granted, notice_version, created_at, seq)
                        VALUES (?, ?, 'analytics', 1, '2026-12', 0, 1)
                        """,
                        "cns_" + id, id
                    )
                }
            }
        }
    }
}

/// FNV-1a 32-bit written again from API.md §21, so the assignment check does not trust the code it checks.
enum IndependentAssignment {
    static func fnv1a(_ text: String) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in Array(text.utf8) { hash = (hash ^ UInt32(byte)).multipliedFullWidth(by: 16_777_619).low }
        return hash
    }

    static func variant(salt: String, account: String, variants: [(String, Int64)]) -> String {
        let bucket = Int64(fnv1a(salt + ":" + account) % 10_000)
        let total = variants.map(\.1).reduce(0, +)
        var start: Int64 = 0
        for (index, (key, weight)) in variants.enumerated() {
            let width = index == variants.count - 1 ? 10_000 - start : 10_000 * weight / total
            if bucket < start + width { return key }
            start += width
        }
        return variants[variants.count - 1].0
    }
}

extension JSON {
    var id: String { self["id"]?.stringValue ?? "" }
}
