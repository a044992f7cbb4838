import Core
import Foundation
import Testing
import TestSupport

@Suite("Claiming codes")
struct ClaimTests {
    @Test("a claim answers 201 with the Coupon, owned by the caller, and counts as issued")
    func claim() async throws {
        try await CouponShop.with { shop in
            let campaign = try await shop.campaign([
                "discount": ["type": "percent", "value": 15], "max_discount_cents": 800, "min_spend_cents": 1000,
                "valid_until": "2030-01-01T00:00:00Z",
            ])
            let code = try await shop.codes(campaign.id, count: 1)[0]
            let (customer, _) = try await shop.server.signUp()
            let response = try await shop.claim(code, token: customer)
            #expect(response.status == 201)
            let coupon = response.json
            #expect(coupon.id.hasPrefix("cpn_"))
            #expect(coupon == [
                "id": .string(coupon.id), "campaign_id": .string(campaign.id), "campaign_name": "Autumn sale",
                "code": .string(code), "status": "available", "discount": ["type": "percent", "value": 15], "min_spend_cents": 1000,
                "max_discount_cents": 800, "currency": "EUR", "valid_until": "2030-01-01T00:00:00Z", "source": "code",
                "redeemed_order_id": nil, "created_at": coupon["created_at"] ?? .null,
            ])
            let mine = try await shop.server.call("GET", "/v1/coupons", token: customer)
            #expect(mine.json == ["data": [coupon], "next_cursor": nil])
            let (other, _) = try await shop.server.signUp()
            #expect(try await shop.server.call("GET", "/v1/coupons", token: other).json["data"] == [])
            #expect(try await shop.campaign(id: campaign.id).stats == ["issued": 1, "redeemed": 0, "discount_granted_cents": 0])
        }
    }

    @Test("claims ignore letter case and surrounding white space")
    func caseInsensitive() async throws {
        try await CouponShop.with { shop in
            let id = try await shop.campaign().id
            let code = try await shop.codes(id, count: 1)[0]
            let (customer, _) = try await shop.server.signUp()
            let response = try await shop.claim("  \(code.lowercased()) ", token: customer)
            #expect(response.status == 201)
            #expect(response.json["code"]?.stringValue == code)
        }
    }

    @Test("an unknown code is 404; a claimed one 409 already_claimed, for everyone")
    func unknownAndClaimed() async throws {
        try await CouponShop.with { shop in
            let id = try await shop.campaign(["per_account_limit": 5]).id
            let code = try await shop.codes(id, count: 1)[0]
            let (first, _) = try await shop.server.signUp()
            let (second, _) = try await shop.server.signUp()
            #expect(try await shop.claim("NOPE-2345-ABCD", token: first).code == "not_found")
            #expect(try await shop.claim(code, token: first).status == 201)
            for token in [first, second] {
                let again = try await shop.claim(code, token: token)
                #expect(again.status == 409)
                #expect(again.code == "already_claimed")
            }
            #expect(try await shop.server.call("POST", "/v1/coupons/claim", json: [:], token: first).firstErrorField == "code")
            #expect(try await shop.server.call("POST", "/v1/coupons/claim", json: ["code": "X"]).status == 401)
        }
    }

    @Test("per_account_limit holds (409 limit_reached) and the budget too (409 sold_out)")
    func limits() async throws {
        try await CouponShop.with { shop in
            let limited = try await shop.campaign(["per_account_limit": 2]).id
            let codes = try await shop.codes(limited, count: 3)
            let (customer, _) = try await shop.server.signUp()
            #expect(try await shop.claim(codes[0], token: customer).status == 201)
            #expect(try await shop.claim(codes[1], token: customer).status == 201)
            let third = try await shop.claim(codes[2], token: customer)
            #expect(third.status == 409)
            #expect(third.code == "limit_reached")

            let small = try await shop.campaign(["max_coupons": 2]).id
            let smallCodes = try await shop.codes(small, count: 3)
            var results: [TestResponse] = []
            for (code, token) in zip(smallCodes, try await shop.customers(3)) { results.append(try await shop.claim(code, token: token)) }
            #expect(results.map(\.status) == [201, 201, 409])
            #expect(results[2].code == "sold_out")
            #expect(try await shop.campaign(id: small).stats["issued"] == 2)
        }
    }

    @Test("paused, ended, expired and not-yet-valid campaigns refuse claims with 422 coupon_invalid and the reason")
    func invalidCampaigns() async throws {
        try await CouponShop.with { shop in
            let (customer, _) = try await shop.server.signUp()
            let paused = try await shop.campaign().id
            let ended = try await shop.campaign().id
            let expired = try await shop.campaign([
                "valid_from": "2020-01-01T00:00:00Z", "valid_until": "2020-12-31T00:00:00Z",
            ]).id
            let future = try await shop.campaign([
                "valid_from": .string(Timestamp.format(epochSeconds: shop.now + 86400)),
                "valid_until": .string(Timestamp.format(epochSeconds: shop.now + 2 * 86400)),
            ]).id
            var codes: [String: String] = [:]
            for id in [paused, ended, expired, future] { codes[id] = try await shop.codes(id, count: 1)[0] }
            #expect(try await shop.setStatus("paused", of: paused).status == 200)
            #expect(try await shop.setStatus("ended", of: ended).status == 200)
            for (id, reason) in [(paused, "paused"), (ended, "ended"), (expired, "expired"), (future, "not_yet_valid")] {
                let response = try await shop.claim(codes[id]!, token: customer)
                #expect(response.status == 422, "\(reason)")
                #expect(response.code == "coupon_invalid")
                #expect(response.reason == reason)
                #expect(response.header("Content-Type") == "application/problem+json")
            }
            #expect(try await shop.setStatus("active", of: paused).status == 200)
            #expect(try await shop.claim(codes[paused]!, token: customer).status == 201)
            for id in [ended, expired, future] { #expect(try await shop.campaign(id: id).stats["issued"] == 0) }
        }
    }

    @Test("Idempotency-Key replays the claim byte for byte and issues once")
    func idempotent() async throws {
        try await CouponShop.with { shop in
            let id = try await shop.campaign().id
            let codes = try await shop.codes(id, count: 2)
            let (customer, _) = try await shop.server.signUp()
            let first = try await shop.claim(codes[0], token: customer, key: "claim-1")
            let replay = try await shop.claim(codes[0], token: customer, key: "claim-1")
            #expect(first.status == 201)
            #expect(replay.status == 201)
            #expect(replay.body == first.body)
            #expect(replay.header("Idempotent-Replayed") == "true")
            let reused = try await shop.claim(codes[1], token: customer, key: "claim-1")
            #expect(reused.code == "idempotency_key_reused")
            #expect(try await shop.campaign(id: id).stats["issued"] == 1)
        }
    }

    @Test("a coupon reads as expired once its campaign's window has passed")
    func expiredWhenRead() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_790_000_000))
        try await CouponShop.with(clock: clock) { shop in
            let (customer, _) = try await shop.server.signUp()
            let (couponID, _) = try await shop.coupon([
                "valid_until": .string(Timestamp.format(epochSeconds: shop.now + 600)),
            ], token: customer)
            #expect(try await shop.server.call("GET", "/v1/coupons", token: customer).json["data"]?[0]?["status"] == "available")
            clock.advance(by: 601)
            let later = try await shop.server.call("GET", "/v1/coupons", token: customer).json["data"]?[0]
            #expect(later?["id"]?.stringValue == couponID)
            #expect(later?["status"] == "expired")
        }
    }

    @Test("GET /v1/coupons is newest first and pages")
    func couponList() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_790_000_000))
        try await CouponShop.with(clock: clock) { shop in
            let id = try await shop.campaign(["per_account_limit": 10]).id
            let codes = try await shop.codes(id, count: 5)
            let (customer, _) = try await shop.server.signUp()
            var claimed: [String] = []
            for code in codes {
                claimed.append(try await shop.claim(code, token: customer).json.id)
                clock.advance(by: 1)
            }
            let first = try await shop.server.call("GET", "/v1/coupons?limit=3", token: customer)
            let cursor = try #require(first.json["next_cursor"]?.stringValue)
            let second = try await shop.server.call("GET", "/v1/coupons?limit=3&cursor=\(cursor)", token: customer)
            #expect(second.json["next_cursor"] == .null)
            let ids = (first.json["data"]?.arrayValue ?? []).map(\.id) + (second.json["data"]?.arrayValue ?? []).map(\.id)
            #expect(ids == claimed.reversed())
        }
    }
}

extension JSON {
    subscript(index: Int) -> JSON? {
        guard let items = arrayValue, items.indices.contains(index) else { return nil }
        return items[index]
    }
}
