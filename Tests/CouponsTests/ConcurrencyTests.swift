import Core
import Foundation
import Testing
import TestSupport

/// Real concurrency: many requests fired at once through the socket, then the database checked.
@Suite("Coupons under concurrency")
struct ConcurrencyTests {
    @Test("30 parallel claims of one code give exactly one coupon; the others 409 already_claimed")
    func oneCode() async throws {
        try await CouponShop.withServer { shop in
            let id = try await shop.campaign().id
            let code = try await shop.codes(id, count: 1)[0]
            let customers = try await shop.customers(30)
            let results = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for token in customers { group.addTask { try await shop.claim(code, token: token) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter { $0.status == 201 }.count == 1)
            #expect(results.filter { $0.status == 409 && $0.code == "already_claimed" }.count == 29)
            let coupons = try await shop.server.database.read { db in
                try db.scalar("SELECT COUNT(*) FROM coupons WHERE campaign_id = ?", id) ?? -1
            }
            #expect(coupons == 1)
            #expect(try await shop.campaign(id: id).stats == ["issued": 1, "redeemed": 0, "discount_granted_cents": 0])
        }
    }

    @Test("40 parallel claims of distinct codes against max_coupons 5 issue exactly 5; the rest 409 sold_out")
    func budget() async throws {
        try await CouponShop.withServer { shop in
            let id = try await shop.campaign(["max_coupons": 5]).id
            let codes = try await shop.codes(id, count: 40)
            let customers = try await shop.customers(40)
            let results = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for (code, token) in zip(codes, customers) { group.addTask { try await shop.claim(code, token: token) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter { $0.status == 201 }.count == 5)
            #expect(results.filter { $0.status == 409 && $0.code == "sold_out" }.count == 35)
            let (coupons, claimedCodes) = try await shop.server.database.read { db in
                (
                    try db.scalar("SELECT COUNT(*) FROM coupons WHERE campaign_id = ?", id) ?? -1,
                    try db.scalar("SELECT COUNT(*) FROM campaign_codes WHERE campaign_id = ? AND coupon_id IS NOT NULL", id) ?? -1
                )
            }
            #expect(coupons == 5)
            #expect(claimedCodes == 5)
            #expect(try await shop.campaign(id: id).stats == ["issued": 5, "redeemed": 0, "discount_granted_cents": 0])
            #expect(try await shop.listCodes(id).filter { $0["status"] == "claimed" }.count == 5)
        }
    }

    @Test("30 parallel checkouts with one coupon redeem it once; the others 422 already_redeemed")
    func oneCouponManyCheckouts() async throws {
        try await CouponShop.withServer { shop in
            let buyer = try await shop.buyer(funds: 100_000)
            let product = try await shop.product(price: 1000, stock: 100)
            let (couponID, campaignID) = try await shop.coupon(["discount": ["type": "fixed", "value": 250]], token: buyer.token)
            let results = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<30 {
                    group.addTask { try await shop.order(product, coupon: couponID, token: buyer.token) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let paid = results.filter { $0.status == 201 }
            #expect(paid.count == 1)
            #expect(paid.first?.json["discount_cents"] == 250)
            #expect(results.filter { $0.status == 422 && $0.reason == "already_redeemed" }.count == 29)
            let orders = try await shop.server.database.read { db in
                try db.scalar("SELECT COUNT(*) FROM orders WHERE coupon_id = ?", couponID) ?? -1
            }
            #expect(orders == 1)
            #expect(try await shop.campaign(id: campaignID).stats == ["issued": 1, "redeemed": 1, "discount_granted_cents": 250])
        }
    }
}
