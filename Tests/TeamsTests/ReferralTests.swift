import Core
import Foundation
import Storage
import Teams
import Testing
import TestSupport

/// API.md §20 and §24: share links with visit counts, sign-ups with a referral code, rewards decided by the first
/// order within the monthly cap, `share_code` on orders and the share and team touchpoints.
@Suite("Shares and referrals")
struct ReferralTests {
    static func share(_ w: TeamWorld<some TestApp>, _ type: String, _ id: String, token: String) async throws -> JSON {
        let share = try await w.send("POST", "/v1/shares", json: ["target_type": .string(type), "target_id": .string(id)], token: token)
        try #require(share.status == 201, "\(share.text)")
        return share.json
    }

    static func referrals(_ w: TeamWorld<some TestApp>, _ token: String) async throws -> JSON {
        try await w.send("GET", "/v1/me/referrals", token: token).json
    }

    static func referralCoupons(_ w: TeamWorld<some TestApp>, _ token: String) async throws -> [JSON] {
        let coupons = try await w.send("GET", "/v1/coupons?limit=100", token: token).json["data"]?.arrayValue ?? []
        return coupons.filter { $0["source"] == "referral" }
    }

    @Test("shares: one per account and target, unknown targets 404 naming target_id, every visit counted and shown")
    func shares() async throws {
        try await TeamWorld.with { w in
            let product = try await w.product()
            let sharer = try await w.buyer(name: "Erika Mustermann")
            let share = try await Self.share(w, "product", product, token: sharer.token)
            let code = try #require(share["code"]?.stringValue)
            #expect((8...12).contains(code.count))
            #expect(share.id.hasPrefix("shr_"))
            #expect(share["target_type"] == "product")
            #expect(try await Self.share(w, "product", product, token: sharer.token)["code"] == .string(code))
            #expect(try await w.send("POST", "/v1/shares", json: ["target_type": "product", "target_id": "x"]).status == 401)
            let unknown = try await w.send("POST", "/v1/shares", json: ["target_type": "team", "target_id": "team_nope"], token: sharer.token)
            #expect(unknown.status == 404)
            #expect(unknown.json.firstErrorField == "target_id")
            let badType = try await w.send("POST", "/v1/shares", json: ["target_type": "shop", "target_id": "x"], token: sharer.token)
            #expect(badType.json.firstErrorField == "target_type")
            #expect(try await w.send("POST", "/v1/shares", json: ["target_type": "live_session", "target_id": "live_nope"], token: sharer.token).status == 404)

            let first = try await w.send("GET", "/v1/shares/\(code)")
            #expect(first.status == 200)
            #expect(first.json == [
                "code": .string(code), "target_type": "product", "target_id": .string(product),
                "sharer": ["display_name": "Erika"], "visits": 1,
            ])
            #expect(try await w.send("GET", "/v1/shares/\(code.lowercased())").json["visits"] == 2)
            #expect(try await w.send("GET", "/v1/shares/NOPE2345").status == 404)

            // A team can be shared too (the invitation to join it).
            let deal = try await w.deal(product, size: 2)
            let team = try await w.open(deal, token: sharer.token)
            #expect(try await Self.share(w, "team", team.id, token: sharer.token)["target_id"] == .string(team.id))
        }
    }

    @Test("the first order decides: below 1000 cents after discounts earns nothing, ever; at least 1000 rewards both, once")
    func firstOrderDecides() async throws {
        try await TeamWorld.with { w in
            try await w.referralCampaign()
            let product = try await w.product(price: 1_000)
            let cheap = try await w.product(price: 900)
            let sharer = try await w.buyer(name: "Sam Sharer")
            let code = try #require(try await Self.share(w, "product", product, token: sharer.token)["code"]?.stringValue)

            // Sign-up: an unknown code is 400 naming referral_code, before a taken email's 409.
            let unknown = try await w.send("POST", "/v1/accounts", json: [
                "email": "x@example.com", "password": "correct horse battery", "display_name": "X", "referral_code": "NOPE2345",
            ])
            #expect(unknown.status == 400)
            #expect(unknown.json.firstErrorField == "referral_code")

            let small = try await w.buyer(referral: code)
            #expect(try await Self.referrals(w, sharer.token) == ["signed_up": 1, "rewarded": 0, "pending": 1])
            _ = try await w.order(cheap, token: small.token)
            _ = try await w.order(product, token: small.token, quantity: 3)
            #expect(try await Self.referrals(w, sharer.token) == ["signed_up": 1, "rewarded": 0, "pending": 0])

            // 1400 − 500 off = 900 after discounts: not enough.
            let discounted = try await w.buyer(referral: code)
            let coupon = try await w.coupon(fixed: 500, for: discounted.token)
            let big = try await w.product(price: 1_400)
            _ = try await w.order(big, token: discounted.token, extra: [("coupon_id", .string(coupon))])
            #expect(try await Self.referralCoupons(w, sharer.token).isEmpty)

            let good = try await w.buyer(referral: code)
            let first = try await w.order(product, token: good.token)
            #expect(first["total_cents"] == 1_000)
            #expect(try await Self.referrals(w, sharer.token) == ["signed_up": 3, "rewarded": 1, "pending": 0])
            #expect(try await Self.referralCoupons(w, sharer.token).count == 1)
            let goodCoupons = try await Self.referralCoupons(w, good.token)
            #expect(goodCoupons.count == 1)
            #expect(try await w.inboxRules(sharer.token).filter { $0 == "referral_reward" }.count == 1)
            #expect(try await w.inboxRules(good.token).contains("referral_reward"))
            let item = try await w.send("GET", "/v1/inbox", token: good.token).json["data"]?.arrayValue?.first { $0["reason"]?["rule"] == "referral_reward" }
            #expect(item?["category"] == "social")
            #expect(item?["data"]?["coupon_id"] == goodCoupons.first?["id"])

            // A refund takes nothing back; later orders never reward again.
            #expect(try await w.send("POST", "/v1/orders/\(first.id)/refunds", json: ["reason": "x"], token: good.token).status == 201)
            _ = try await w.order(product, token: good.token, quantity: 2)
            #expect(try await Self.referrals(w, sharer.token) == ["signed_up": 3, "rewarded": 1, "pending": 0])
            #expect(try await Self.referralCoupons(w, sharer.token).count == 1)

            // Touchpoints: the referral share on the first order, and on an order paid with the referral coupon.
            let shareID = try #require(try await Self.share(w, "product", product, token: sharer.token)["id"]?.stringValue)
            let rewardCoupon = try #require(goodCoupons.first?["id"]?.stringValue)
            let paid = try await w.order(product, token: good.token, quantity: 2, extra: [("coupon_id", .string(rewardCoupon))])
            let trails = try await w.server.database.read { db in
                (
                    try SocialTouchpoint.of(orderID: first.id, couponID: nil, in: db),
                    try SocialTouchpoint.of(orderID: paid.id, couponID: rewardCoupon, in: db),
                    try SocialTouchpoint.of(orderID: paid.id, couponID: nil, in: db)
                )
            }
            #expect(trails.0.map(\.type) == ["share"])
            #expect(trails.0.map(\.id) == [shareID])
            #expect(trails.1.map(\.id) == [shareID])
            #expect(trails.2.isEmpty)
        }
    }

    @Test("the monthly cap: 10 rewarded referrals per sharer per calendar month, the 11th rewards neither side; next month again")
    func monthlyCap() async throws {
        try await TeamWorld.with(testClock: true) { w in
            try await w.referralCampaign()
            // Start at least an hour before the end of a month, so the first eleven share one month.
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = CalendarDay.timeZone
            func secondsToNextMonth() async throws -> Int64 {
                let now = Date(timeIntervalSince1970: TimeInterval(try await w.now()))
                let start = calendar.dateInterval(of: .month, for: now)!.end
                return Int64(start.timeIntervalSince(now).rounded(.up))
            }
            if try await secondsToNextMonth() < 3_600 { try await w.advance(seconds: try await secondsToNextMonth() + 60) }

            let product = try await w.product(price: 1_200, stock: 100)
            let sharer = try await w.buyer(name: "Sam")
            let code = try #require(try await Self.share(w, "product", product, token: sharer.token)["code"]?.stringValue)
            var referred: [(token: String, id: String)] = []
            for _ in 0..<11 { referred.append(try await w.buyer(referral: code)) }
            #expect(try await Self.referrals(w, sharer.token) == ["signed_up": 11, "rewarded": 0, "pending": 11])
            for account in referred { _ = try await w.order(product, token: account.token) }
            #expect(try await Self.referrals(w, sharer.token) == ["signed_up": 11, "rewarded": 10, "pending": 0])
            #expect(try await Self.referralCoupons(w, sharer.token).count == 10)
            #expect(try await Self.referralCoupons(w, referred[10].token).isEmpty, "past the cap neither side")
            #expect(try await Self.referralCoupons(w, referred[9].token).count == 1)
            // The 11th is decided: a later order in the next month does not reward it either.
            try await w.advance(seconds: try await secondsToNextMonth() + 60)
            _ = try await w.order(product, token: referred[10].token)
            #expect(try await Self.referralCoupons(w, referred[10].token).isEmpty)

            let nextMonth = try await w.buyer(referral: code)
            _ = try await w.order(product, token: nextMonth.token)
            #expect(try await Self.referrals(w, sharer.token) == ["signed_up": 12, "rewarded": 11, "pending": 0])
            #expect(try await Self.referralCoupons(w, sharer.token).count == 11)
            #expect(try await Self.referralCoupons(w, nextMonth.token).count == 1)
            #expect(try await w.ledger()["escrow_cents"] == 0)
        }
    }

    @Test("share_code on orders and quotes: unknown is 400 naming it; the order's share and team touchpoints; the export")
    func shareCodeAndExport() async throws {
        try await TeamWorld.with { w in
            let product = try await w.product()
            let sharer = try await w.buyer(name: "Sam")
            let buyer = try await w.buyer()
            let share = try await Self.share(w, "product", product, token: sharer.token)
            let code = try #require(share["code"]?.stringValue)
            let items: JSON = [["product_id": .string(product), "quantity": 1]]
            for path in ["/v1/orders", "/v1/orders/quote"] {
                let unknown = try await w.send("POST", path, json: ["items": items, "share_code": "NOPE2345"], token: buyer.token)
                #expect(unknown.status == 400)
                #expect(unknown.json.firstErrorField == "share_code")
            }
            #expect(try await w.send("POST", "/v1/orders/quote", json: ["items": items, "share_code": .string(code)], token: buyer.token).status == 200)
            let order = try await w.order(product, token: buyer.token, extra: [("share_code", .string(code))])

            let deal = try await w.deal(product, size: 2)
            let team = try await w.open(deal, token: sharer.token)
            let completed = try await w.send("POST", "/v1/teams/\(team.id)/members", token: buyer.token)
            let teamOrder = try #require(completed.json["order_ids"]?[0]?.stringValue)
            let trails = try await w.server.database.read { db in
                (
                    try SocialTouchpoint.of(orderID: order.id, couponID: nil, in: db),
                    try SocialTouchpoint.of(orderID: teamOrder, couponID: nil, in: db)
                )
            }
            #expect(trails.0 == [SocialTouchpoint(type: "share", id: share.id, at: trails.0.first?.at ?? 0)])
            #expect(trails.1.map(\.type) == ["team"])
            #expect(trails.1.map(\.id) == [team.id])
            // The attribution trail (API.md §21) carries them.
            let trail = try await w.send("GET", "/v1/orders/\(order.id)/attribution", token: buyer.token).json
            #expect(trail["touchpoints"]?.arrayValue?.map { [$0["type"], $0["id"]] } == [["share", .string(share.id)]])
            #expect(trail["touchpoints"]?[0]?["at"] == share["created_at"])
            let teamTrail = try await w.send("GET", "/v1/orders/\(teamOrder)/attribution", token: w.merchant).json
            #expect(teamTrail["touchpoints"]?.arrayValue?.map { [$0["type"], $0["id"]] } == [["team", .string(team.id)]])

            let export = try await w.send("GET", "/v1/me/export", token: sharer.token).json
            #expect(export["shares"]?.arrayValue?.map(\.id) == [share.id])
            #expect(export["shares"]?[0]?["code"] == .string(code))
            #expect(export["teams"]?.arrayValue?.map(\.id) == [team.id])
            #expect(export["teams"]?[0]?["order_ids"]?.arrayValue?.count == 1)
            #expect(try await w.send("GET", "/v1/me/export", token: buyer.token).json["shares"] == [])
        }
    }
}
