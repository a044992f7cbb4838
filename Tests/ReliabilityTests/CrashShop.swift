import Core
import Foundation
import Testing
import TestSupport

/// The shop every crash round runs against: set up once through the API of the real executable, then reused on
/// the same database by every round.
struct CrashShop: Sendable {
    struct Buyer: Sendable {
        var token: String
        var accountID: String
    }

    var databasePath: String
    /// Merchant, host and admin at once (admin passes every role check).
    var opsToken: String
    var buyers: [Buyer]
    var productID: String
    var flashProductID: String
    var sessionID: String
    var pinID: String
    var codeCampaignID: String
    /// Units ever put into each product (creation plus adjustments): stock + units sold and not refunded + unsold
    /// flash units held by active pins must always equal this.
    var stocked: [String: Int64]
    /// Codes generated for `codeCampaignID`, more than its budget, so that claims end in `sold_out`.
    var codes: [String]

    static let buyerCount = 16
    static let password = "correct horse battery"

    /// Creates the accounts, products, campaigns (with the keys `Content/games/wheel.json` names), the codes, a
    /// live session with a flash pin, and funds every buyer with a first top-up and two claimed codes.
    static func setUp(_ server: BasarProcess) async throws -> CrashShop {
        let client = server.client
        let path = server.databasePath
        let suffix = UUID().uuidString.prefix(6).lowercased()
        let opsEmail = "crash-ops-\(suffix)@example.com"
        let ops = try await client.signUp(email: opsEmail, name: "Ops")
        try await BasarBinary.grant(email: opsEmail, role: "admin", databasePath: path)
        let token = ops.token

        let product = try await created(client.send("POST", "/v1/products", json: [
            "sku": "CRASH-TEA", "title": "Teekanne", "price_cents": 1500, "stock": 100_000, "category": "kueche",
        ], token: token))
        let flashProduct = try await created(client.send("POST", "/v1/products", json: [
            "sku": "CRASH-FLASH", "title": "Blitz-Tasse", "price_cents": 2000, "stock": 20_000, "category": "kueche",
        ], token: token))

        let codeCampaign = try await created(client.send("POST", "/v1/campaigns", json: campaign(
            name: "Crash codes", discount: ["type": "percent", "value": 10], maxCoupons: 150, perAccount: 8, key: nil
        ), token: token))
        // The wheel's prizes bind to these keys at play time; small budgets so that the budget check has teeth.
        _ = try await created(client.send("POST", "/v1/campaigns", json: campaign(
            name: "Wheel small", discount: ["type": "fixed", "value": 200], maxCoupons: 12, perAccount: 2, key: "wheel-small"
        ), token: token))
        _ = try await created(client.send("POST", "/v1/campaigns", json: campaign(
            name: "Wheel big", discount: ["type": "percent", "value": 30], maxCoupons: 3, perAccount: 1, key: "wheel-big"
        ), token: token))
        let codeCampaignID = try #require(codeCampaign["id"]?.stringValue)
        let generated = try await client.send(
            "POST", "/v1/campaigns/\(codeCampaignID)/codes", json: ["count": 400], token: token
        )
        #expect(generated.status == 201, "\(generated.text)")
        let codes = try await allCodes(client, campaignID: codeCampaignID, token: token)

        let session = try await created(client.send("POST", "/v1/live-sessions", json: ["title": "Crash stream"], token: token))
        let sessionID = try #require(session["id"]?.stringValue)
        let started = try await client.send("POST", "/v1/live-sessions/\(sessionID)/start", token: token)
        #expect(started.status == 200, "\(started.text)")
        let flashID = try #require(flashProduct["id"]?.stringValue)
        let pin = try await created(client.send("POST", "/v1/live-sessions/\(sessionID)/pins", json: [
            "product_id": .string(flashID), "flash_price_cents": 500, "flash_quantity": 5_000,
        ], token: token))

        var buyers: [Buyer] = []
        for index in 0..<buyerCount {
            let buyer = try await client.signUp(email: "crash-buyer-\(index)-\(suffix)@example.com", name: "Buyer \(index)")
            let topUp = try await client.send("POST", "/v1/wallet/top-ups", json: ["amount_cents": 100_000, "method": "sandbox"], token: buyer.token)
            #expect(topUp.status == 201, "\(topUp.text)")
            buyers.append(Buyer(token: buyer.token, accountID: buyer.accountID))
        }
        var unclaimed = codes
        for buyer in buyers {
            for _ in 0..<2 {
                let claim = try await client.send("POST", "/v1/coupons/claim", json: ["code": .string(unclaimed.removeLast())], token: buyer.token)
                #expect(claim.status == 201, "\(claim.text)")
            }
        }
        let productID = try #require(product["id"]?.stringValue)
        return CrashShop(
            databasePath: path, opsToken: token, buyers: buyers, productID: productID, flashProductID: flashID,
            sessionID: sessionID, pinID: try #require(pin["id"]?.stringValue), codeCampaignID: codeCampaignID,
            stocked: [productID: 100_000, flashID: 20_000], codes: unclaimed
        )
    }

    private static func campaign(name: String, discount: JSON, maxCoupons: Int, perAccount: Int, key: String?) -> JSON {
        var members: [(String, JSON)] = [
            ("name", .string(name)), ("discount", discount), ("valid_from", "2020-01-01T00:00:00Z"),
            ("valid_until", "2099-01-01T00:00:00Z"), ("max_coupons", .int(Int64(maxCoupons))),
            ("per_account_limit", .int(Int64(perAccount))),
        ]
        if let key { members.append(("key", .string(key))) }
        return .object(members)
    }

    private static func created(_ response: TestResponse) throws -> JSON {
        guard response.status == 201 else { throw TestClientError("set-up request failed: \(response.status) \(response.text)") }
        return response.json
    }

    /// Every code of a campaign, following `next_cursor`.
    private static func allCodes(_ client: TestHTTPClient, campaignID: String, token: String) async throws -> [String] {
        var codes: [String] = []
        var cursor: String?
        for _ in 0..<20 {
            let query = cursor.map { "&cursor=\($0)" } ?? ""
            let page = try await client.send("GET", "/v1/campaigns/\(campaignID)/codes?limit=100\(query)", token: token)
            codes += page.json["data"]?.arrayValue?.compactMap { $0["code"]?.stringValue } ?? []
            cursor = page.json["next_cursor"]?.stringValue
            if cursor == nil { break }
        }
        return codes
    }
}
