import Core
import Foundation
import Testing
import TestSupport

/// An auction win is an order like any other for referrals (API.md §20, §24, issue 21): it goes through the same
/// placement as a checkout and a completed team, so a referred account's first order of at least 1000 cents rewards
/// both sides.
@Suite("Referrals: an auction win is a first order")
struct ReferralAuctionTests {
    /// A live session of a new host with one auction pin of `product`; returns the session and pin ids and the host.
    static func auction(_ w: TeamWorld<some TestApp>, product: String) async throws -> (session: String, pin: String, host: String) {
        let (host, _) = try await w.server.signUp(name: "Hanna Host", roles: [.host])
        let created = try await w.send("POST", "/v1/live-sessions", json: ["title": "Auction night"], token: host)
        let session = try #require(created.json["id"]?.stringValue)
        #expect(try await w.send("POST", "/v1/live-sessions/\(session)/start", token: host).status == 200)
        let pin = try await w.send("POST", "/v1/live-sessions/\(session)/pins", json: [
            "product_id": .string(product),
            "auction": ["starting_bid_cents": 1000, "increment_cents": 100, "duration_seconds": 600],
        ], token: host)
        try #require(pin.status == 201, "\(pin.text)")
        return (session, try #require(pin.json["id"]?.stringValue), host)
    }

    @Test("a referred account that wins an auction at 1200 cents as its first order rewards the sharer and itself")
    func auctionWinRewards() async throws {
        try await TeamWorld.with { w in
            try await w.referralCampaign()
            let product = try await w.product(price: 2_000)
            let sharer = try await w.buyer(name: "Sam Sharer")
            let code = try #require(try await ReferralTests.share(w, "product", product, token: sharer.token)["code"]?.stringValue)
            let winner = try await w.buyer(name: "Nina Neu", referral: code)
            let rival = try await w.buyer(name: "Rolf Rival")
            let (session, pin, host) = try await Self.auction(w, product: product)
            let bids = "/v1/live-sessions/\(session)/pins/\(pin)/bids"
            #expect(try await w.send("POST", bids, json: ["amount_cents": 1000, "max_cents": 1500], token: winner.token).status == 201)
            #expect(try await w.send("POST", bids, json: ["amount_cents": 1100], token: rival.token).status == 201)
            #expect(try await ReferralTests.referrals(w, sharer.token) == ["signed_up": 1, "rewarded": 0, "pending": 1])

            // The session's end closes the auction: Nina pays 1200 (the rival's 1100 plus the increment).
            #expect(try await w.send("POST", "/v1/live-sessions/\(session)/end", token: host).status == 200)
            let orders = try #require(try await w.send("GET", "/v1/orders", token: winner.token).json["data"]?.arrayValue)
            #expect(orders.count == 1)
            #expect(orders.first?["total_cents"] == 1200)
            #expect(orders.first?["pin_id"]?.stringValue == pin)

            #expect(try await ReferralTests.referrals(w, sharer.token) == ["signed_up": 1, "rewarded": 1, "pending": 0])
            #expect(try await ReferralTests.referralCoupons(w, sharer.token).count == 1)
            #expect(try await ReferralTests.referralCoupons(w, winner.token).count == 1)
            #expect(try await w.inboxRules(sharer.token).contains("referral_reward"))
            #expect(try await w.inboxRules(winner.token).contains("referral_reward"))
            // The hold became the payment and the rest came back; the ledger is exact.
            #expect(try await w.balance(winner.token) == 5_000 - 1200)
            #expect(try await w.escrow() == 0)
            #expect(try await w.ledger()["balanced"] == true)
        }
    }
}
