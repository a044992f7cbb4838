import Core
import Foundation
import Storage
import Testing
import TestSupport

/// An app with an admin and a merchant, shared by the team-buy and referral tests: in process by default; on a
/// socket (`withServer`) for parallel joins and `basar check` beside a running server.
struct TeamWorld<Server: TestApp>: TestFixture {
    let server: Server
    let admin: String
    let merchant: String

    static func make(on server: Server) async throws -> TeamWorld {
        let (admin, _) = try await server.signUp(roles: [.admin])
        let (merchant, _) = try await server.signUp(roles: [.merchant])
        return TeamWorld(server: server, admin: admin, merchant: merchant)
    }

    func send(_ method: String, _ path: String, json: JSON? = nil, token: String? = nil) async throws -> TestResponse {
        try await server.send(method, path, json: json, token: token)
    }

    /// A customer with `funds` in the wallet; `referral` signs up with that share code.
    func buyer(funds: Int64 = 5_000, name: String = "Erika Mustermann", referral: String? = nil) async throws -> (token: String, id: String) {
        var body: [(String, JSON)] = [
            ("email", .string("user-\(UUID().uuidString.prefix(8).lowercased())@example.com")),
            ("password", "correct horse battery"), ("display_name", .string(name)),
        ]
        if let referral { body.append(("referral_code", .string(referral))) }
        let created = try await send("POST", "/v1/accounts", json: .object(body))
        try #require(created.status == 201, "\(created.text)")
        let token = try #require(created.json["token"]?.stringValue)
        let id = try #require(created.json["account"]?["id"]?.stringValue)
        if funds > 0 {
            let topUp = try await send("POST", "/v1/wallet/top-ups", json: ["amount_cents": .int(funds), "method": "sandbox"], token: token)
            try #require(topUp.status == 201)
        }
        return (token, id)
    }

    func product(price: Int64 = 2_000, stock: Int64 = 50) async throws -> String {
        let response = try await send("POST", "/v1/products", json: [
            "sku": .string("SKU-\(UUID().uuidString.prefix(12))"), "title": "Teekanne", "price_cents": .int(price),
            "stock": .int(stock), "category": "test",
        ], token: merchant)
        try #require(response.status == 201, "\(response.text)")
        return try #require(response.json["id"]?.stringValue)
    }

    func stock(_ product: String) async throws -> Int64 {
        try #require(try await send("GET", "/v1/products/\(product)").json["stock"]?.intValue)
    }

    /// A team deal of `product` at 1500 cents.
    func deal(_ product: String, price: Int64 = 1_500, size: Int64, window: Int64 = 3_600) async throws -> String {
        let response = try await send("POST", "/v1/team-deals", json: [
            "product_id": .string(product), "team_price_cents": .int(price), "team_size": .int(size), "window_seconds": .int(window),
        ], token: merchant)
        try #require(response.status == 201, "\(response.text)")
        return try #require(response.json["id"]?.stringValue)
    }

    func open(_ deal: String, token: String) async throws -> JSON {
        let response = try await send("POST", "/v1/team-deals/\(deal)/teams", token: token)
        try #require(response.status == 201, "\(response.text)")
        return response.json
    }

    func balance(_ token: String) async throws -> Int64 {
        try #require(try await send("GET", "/v1/wallet", token: token).json["balance_cents"]?.intValue)
    }

    /// The kinds of the wallet's lines, sorted: lines of one second are listed in no particular order.
    func walletKinds(_ token: String) async throws -> [String] {
        let page = try await send("GET", "/v1/wallet/transactions", token: token)
        return (page.json["data"]?.arrayValue?.compactMap { $0["kind"]?.stringValue } ?? []).sorted()
    }

    /// `GET /v1/admin/ledger/check`, which must balance every time it is asked.
    func ledger() async throws -> JSON {
        let check = try await send("GET", "/v1/admin/ledger/check", token: admin)
        #expect(check.json["balanced"] == true, "\(check.text)")
        return check.json
    }

    func escrow() async throws -> Int64 { try #require(try await ledger()["escrow_cents"]?.intValue) }

    func inboxRules(_ token: String) async throws -> [String] {
        await settle()
        let inbox = try await send("GET", "/v1/inbox?limit=100", token: token)
        return inbox.json["data"]?.arrayValue?.compactMap { $0["reason"]?["rule"]?.stringValue } ?? []
    }

    /// The `team.updated` events of an account's stream, oldest first.
    func teamEvents(of accountID: String) async throws -> [JSON] {
        try await server.database.read { db in
            try EventLog.events(stream: EventLog.accountStream(accountID), after: 0, names: ["team.updated"], limit: 1000, in: db)
        }.map(\.data)
    }

    /// Moves the test clock and lets the scheduler and the consumers do what became due.
    func advance(seconds: Int64) async throws {
        let moved = try await send("POST", "/v1/admin/test-clock", json: ["advance_seconds": .int(seconds)], token: admin)
        #expect(moved.status == 200, "\(moved.text)")
        await settle()
        while await server.services.scheduler.runDue() {}
        await settle()
    }

    func now() async throws -> Int64 {
        let answer = try await send("GET", "/v1/admin/test-clock", token: admin)
        return try #require(Timestamp.parse(answer.json["now"]?.stringValue ?? "")?.epochSeconds)
    }

    /// Lets the event consumers handle everything committed so far.
    func settle() async { await server.app.dispatcher.catchUp() }

    /// The keyed campaign the referral rewards come from: 5 € off.
    func referralCampaign() async throws {
        let created = try await send("POST", "/v1/campaigns", json: [
            "name": "Referral", "discount": ["type": "fixed", "value": 500], "valid_from": "2020-01-01T00:00:00Z",
            "valid_until": "2040-01-01T00:00:00Z", "max_coupons": 1000, "per_account_limit": 100, "key": "referral",
        ], token: merchant)
        try #require(created.status == 201, "\(created.text)")
    }

    /// A coupon of `fixed` cents off claimed by the account (from a campaign of its own with one code).
    func coupon(fixed: Int64, for token: String) async throws -> String {
        let campaign = try await send("POST", "/v1/campaigns", json: [
            "name": "Welcome", "discount": ["type": "fixed", "value": .int(fixed)], "valid_from": "2020-01-01T00:00:00Z",
            "valid_until": "2040-01-01T00:00:00Z", "max_coupons": 10,
        ], token: merchant)
        try #require(campaign.status == 201, "\(campaign.text)")
        let id = try #require(campaign.json["id"]?.stringValue)
        #expect(try await send("POST", "/v1/campaigns/\(id)/codes", json: ["count": 1], token: merchant).status == 201)
        let codes = try await send("GET", "/v1/campaigns/\(id)/codes", token: merchant)
        let code = try #require(codes.json["data"]?.arrayValue?.first?["code"]?.stringValue)
        let claim = try await send("POST", "/v1/coupons/claim", json: ["code": .string(code)], token: token)
        try #require(claim.status == 201, "\(claim.text)")
        return try #require(claim.json["id"]?.stringValue)
    }

    /// Places an order of `quantity` units; `extra` adds `coupon_id` or `share_code`.
    func order(_ product: String, token: String, quantity: Int64 = 1, extra: [(String, JSON)] = []) async throws -> JSON {
        let body = JSON.object([("items", [["product_id": .string(product), "quantity": .int(quantity)]])] + extra)
        let order = try await send("POST", "/v1/orders", json: body, token: token)
        try #require(order.status == 201, "\(order.text)")
        return order.json
    }
}

extension JSON {
    var id: String { self["id"]?.stringValue ?? "" }
    /// An array's element, nil past its end or for anything but an array.
    subscript(_ index: Int) -> JSON? {
        guard let items = arrayValue, items.indices.contains(index) else { return nil }
        return items[index]
    }
    var firstErrorField: String? { self["errors"]?.arrayValue?.first?["field"]?.stringValue }
}
