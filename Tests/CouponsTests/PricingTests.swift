import Core
import Foundation
import Testing
import TestSupport

/// The pricing rules of API.md §12, seen through checkout (`POST /v1/orders` redeems the coupon).
@Suite("Coupon pricing at checkout")
struct PricingTests {
    /// (campaign overrides, unit price, quantity, expected discount)
    static let cases: [(String, [String: JSON?], Int64, Int64, Int64)] = [
        ("percent rounds down", ["discount": ["type": "percent", "value": 10]], 1999, 1, 199),
        ("percent of several units", ["discount": ["type": "percent", "value": 15]], 1000, 3, 450),
        ("percent under its cap", ["discount": ["type": "percent", "value": 10], "max_discount_cents": 500], 4000, 1, 400),
        ("percent capped", ["discount": ["type": "percent", "value": 50], "max_discount_cents": 300], 2000, 1, 300),
        ("100 percent", ["discount": ["type": "percent", "value": 100]], 1234, 1, 1234),
        ("fixed", ["discount": ["type": "fixed", "value": 500]], 2000, 1, 500),
        ("fixed above the subtotal makes the total 0", ["discount": ["type": "fixed", "value": 5000]], 1200, 1, 1200),
        ("min spend is inclusive", ["discount": ["type": "fixed", "value": 300], "min_spend_cents": 2000], 1000, 2, 300),
    ]

    @Test("discounts: percent rounds down and respects its cap; fixed never exceeds the subtotal; stats add up")
    func discounts() async throws {
        try await CouponShop.with { shop in
            for (label, overrides, price, quantity, expected) in Self.cases {
                let buyer = try await shop.buyer()
                let (couponID, campaignID) = try await shop.coupon(overrides, token: buyer.token)
                let product = try await shop.product(price: price)
                let order = try await shop.order(product, quantity: quantity, coupon: couponID, token: buyer.token)
                #expect(order.status == 201, "\(label): \(order.text)")
                #expect(order.json["discount_cents"]?.intValue == expected, "\(label)")
                #expect(order.json["total_cents"]?.intValue == price * quantity - expected, "\(label)")
                #expect(order.json["coupon_id"]?.stringValue == couponID)
                let stats = try await shop.campaign(id: campaignID).stats
                #expect(stats == ["issued": 1, "redeemed": 1, "discount_granted_cents": .int(expected)], "\(label)")
                let coupon = try await shop.server.call("GET", "/v1/coupons", token: buyer.token).json["data"]?[0]
                #expect(coupon?["status"] == "redeemed")
                #expect(coupon?["redeemed_order_id"] == order.json["id"])
            }
        }
    }

    @Test("checkout refuses with the precise reason: min spend, paused, ended, not owner, already redeemed")
    func rejections() async throws {
        try await CouponShop.with { shop in
            let buyer = try await shop.buyer()
            let product = try await shop.product(price: 1000)

            let (minSpend, _) = try await shop.coupon(["min_spend_cents": 1001], token: buyer.token)
            try await expectRejected(shop, product, minSpend, buyer.token, reason: "min_spend_not_met")

            let (paused, pausedCampaign) = try await shop.coupon([:], token: buyer.token)
            #expect(try await shop.setStatus("paused", of: pausedCampaign).status == 200)
            try await expectRejected(shop, product, paused, buyer.token, reason: "paused")
            #expect(try await shop.setStatus("active", of: pausedCampaign).status == 200)
            #expect(try await shop.order(product, coupon: paused, token: buyer.token).status == 201)
            try await expectRejected(shop, product, paused, buyer.token, reason: "already_redeemed")

            let (ended, endedCampaign) = try await shop.coupon([:], token: buyer.token)
            #expect(try await shop.setStatus("ended", of: endedCampaign).status == 200)
            try await expectRejected(shop, product, ended, buyer.token, reason: "ended")

            let other = try await shop.buyer()
            let (foreign, _) = try await shop.coupon([:], token: other.token)
            try await expectRejected(shop, product, foreign, buyer.token, reason: "not_owner")
            try await expectRejected(shop, product, "cpn_nope", buyer.token, reason: "not_owner")
        }
    }

    @Test("a coupon whose window has passed is refused at checkout with reason expired")
    func expired() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_790_000_000))
        try await CouponShop.with(clock: clock) { shop in
            let buyer = try await shop.buyer()
            let product = try await shop.product(price: 1000)
            let (couponID, campaignID) = try await shop.coupon([
                "valid_until": .string(Timestamp.format(epochSeconds: shop.now + 60)),
            ], token: buyer.token)
            clock.advance(by: 61)
            try await expectRejected(shop, product, couponID, buyer.token, reason: "expired")
            #expect(try await shop.campaign(id: campaignID).stats["redeemed"] == 0)
        }
    }

    func expectRejected(
        _ shop: CouponShop<some TestApp>, _ product: String, _ coupon: String, _ token: String, reason: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let response = try await shop.order(product, coupon: coupon, token: token)
        #expect(response.status == 422, "\(reason): \(response.text)", sourceLocation: sourceLocation)
        #expect(response.code == "coupon_invalid", sourceLocation: sourceLocation)
        #expect(response.reason == reason, sourceLocation: sourceLocation)
    }
}
