import Core
import Foundation
import Testing
import TestSupport

/// A small shop with two customers, a merchant and two hosts, built through the API, for the OWASP tests: every
/// object the attacker (Bob, or the other host) goes after belongs to someone else.
///
/// In process by default; `withServer` for parallel bursts and raw bytes.
struct AttackWorld<Server: TestApp>: TestFixture {
    let server: Server
    let alice: (token: String, accountID: String)
    let bob: (token: String, accountID: String)
    let merchant: String
    let host: (token: String, accountID: String)
    let otherHost: (token: String, accountID: String)
    let productID: String
    let campaignID: String
    let aliceOrderID: String
    let aliceCouponID: String
    let sessionID: String
    let pinID: String
    let messageID: String
    let dropID: String

    static func make(on server: Server) async throws -> AttackWorld {
        let alice = try await server.signUp(name: "Alice Buyer")
        let bob = try await server.signUp(name: "Bob Attacker")
        let (merchant, _) = try await server.signUp(roles: [.merchant])
        let host = try await server.signUp(name: "Hanna Host", roles: [.host])
        let otherHost = try await server.signUp(name: "Otto Host", roles: [.host])
        for token in [alice.token, bob.token] {
            try expect201(await server.send("POST", "/v1/wallet/top-ups", json: ["amount_cents": 50_000, "method": "sandbox"], token: token))
        }
        let product = try expect201(await server.send("POST", "/v1/products", json: [
            "sku": "ATTACK-1", "title": "Teekanne", "price_cents": 1000, "stock": 500, "category": "kueche",
        ], token: merchant))
        let productID = try #require(product["id"]?.stringValue)
        let campaign = try expect201(await server.send("POST", "/v1/campaigns", json: [
            "name": "Attack", "discount": ["type": "percent", "value": 10], "valid_from": "2020-01-01T00:00:00Z",
            "valid_until": "2099-01-01T00:00:00Z", "max_coupons": 1000, "per_account_limit": 3,
        ], token: merchant))
        let campaignID = try #require(campaign["id"]?.stringValue)
        try expect201(await server.send("POST", "/v1/campaigns/\(campaignID)/codes", json: ["count": 40], token: merchant))
        let codes = try await server.send("GET", "/v1/campaigns/\(campaignID)/codes?limit=1", token: merchant)
        let code = try #require(codes.json["data"]?.arrayValue?.first?["code"]?.stringValue, "\(codes.text)")
        let coupon = try expect201(await server.send("POST", "/v1/coupons/claim", json: ["code": .string(code)], token: alice.token))
        let order = try expect201(await server.send("POST", "/v1/orders", json: [
            "items": [["product_id": .string(productID), "quantity": 2]],
        ], token: alice.token))

        let session = try expect201(await server.send("POST", "/v1/live-sessions", json: ["title": "Tea"], token: host.token))
        let sessionID = try #require(session["id"]?.stringValue)
        let started = try await server.send("POST", "/v1/live-sessions/\(sessionID)/start", token: host.token)
        try #require(started.status == 200, "\(started.text)")
        let pin = try expect201(await server.send("POST", "/v1/live-sessions/\(sessionID)/pins", json: [
            "product_id": .string(productID), "flash_price_cents": 500, "flash_quantity": 10,
        ], token: host.token))
        let message = try expect201(await server.send("POST", "/v1/live-sessions/\(sessionID)/messages", json: ["text": "Hallo"], token: alice.token))
        let drop = try expect201(await server.send("POST", "/v1/live-sessions/\(sessionID)/coupon-drops", json: [
            "campaign_id": .string(campaignID), "quantity": 5,
        ], token: host.token))
        return AttackWorld(
            server: server, alice: alice, bob: bob, merchant: merchant, host: host, otherHost: otherHost,
            productID: productID, campaignID: campaignID, aliceOrderID: try #require(order["id"]?.stringValue),
            aliceCouponID: try #require(coupon["id"]?.stringValue), sessionID: sessionID,
            pinID: try #require(pin["id"]?.stringValue), messageID: try #require(message["id"]?.stringValue),
            dropID: try #require(drop["id"]?.stringValue)
        )
    }
}

/// The body of a set-up request that must answer 201.
@discardableResult
func expect201(_ response: TestResponse) throws -> JSON {
    guard response.status == 201 else { throw TestClientError("set-up request failed: \(response.status) \(response.text)") }
    return response.json
}
