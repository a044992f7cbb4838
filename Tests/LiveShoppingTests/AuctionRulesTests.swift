import LiveShopping
import Testing

/// The proxy rule of API.md §22 and §24 as a pure function, on the worked example the HTTP test repeats.
@Suite("Auction rules")
struct AuctionRulesTests {
    typealias Standing = AuctionRules.Standing

    /// Places a bid that the rules admit and returns the standing after it.
    func place(_ bidder: String, _ amount: Int64, max: Int64? = nil, on standing: Standing?, secondMax: Int64?) -> Standing {
        let maximum = max ?? amount
        #expect(AuctionRules.refusal(
            bidder: bidder, amount: amount, maximum: maximum, standing: standing, startingBid: 1000, increment: 100
        ) == nil)
        return AuctionRules.place(
            bidder: bidder, amount: amount, maximum: maximum, standing: standing, secondMax: secondMax, increment: 100
        )
    }

    @Test("worked example: starting 10.00 €, increment 1.00 €")
    func workedExample() {
        // A opens at the starting bid with a maximum of 20.00 €: the current bid is A's own amount.
        var s = place("A", 1000, max: 2000, on: nil, secondMax: nil)
        #expect(s == Standing(leader: "A", leaderAmount: 1000, leaderMax: 2000, current: 1000))
        // B bids 11.00 € without a maximum: A's proxy answers with B's maximum plus the increment.
        s = place("B", 1100, on: s, secondMax: nil)
        #expect(s == Standing(leader: "A", leaderAmount: 1000, leaderMax: 2000, current: 1200))
        // B comes back with a maximum of 25.00 €: B leads at A's maximum plus the increment.
        s = place("B", 1300, max: 2500, on: s, secondMax: 1100)
        #expect(s == Standing(leader: "B", leaderAmount: 1300, leaderMax: 2500, current: 2100))
        // A ties B's maximum: the earlier bid wins the tie, and the price is capped at B's maximum.
        s = place("A", 2200, max: 2500, on: s, secondMax: 2000)
        #expect(s == Standing(leader: "B", leaderAmount: 1300, leaderMax: 2500, current: 2500))
        // C bids the minimum, 26.00 €, and leads at its own amount.
        s = place("C", 2600, on: s, secondMax: 2500)
        #expect(s == Standing(leader: "C", leaderAmount: 2600, leaderMax: 2600, current: 2600))
        // C raises its maximum to 40.00 €: the current bid does not move.
        s = place("C", 2600, max: 4000, on: s, secondMax: 2500)
        #expect(s == Standing(leader: "C", leaderAmount: 2600, leaderMax: 4000, current: 2600))
        // A's 26.50 € is below the current bid plus the increment.
        #expect(AuctionRules.refusal(
            bidder: "A", amount: 2650, maximum: 2650, standing: s, startingBid: 1000, increment: 100
        ) == .amountTooLow(minimum: 2700))
        // A bids 27.00 € up to 30.00 €: C keeps the lead at A's maximum plus the increment.
        s = place("A", 2700, max: 3000, on: s, secondMax: 2500)
        #expect(s == Standing(leader: "C", leaderAmount: 2600, leaderMax: 4000, current: 3100))
    }

    @Test("minimums: the starting bid first, then current plus increment; a leader's raise needs a higher maximum")
    func minimums() {
        #expect(AuctionRules.refusal(bidder: "A", amount: 999, maximum: 999, standing: nil, startingBid: 1000, increment: 100)
            == .amountTooLow(minimum: 1000))
        let s = Standing(leader: "A", leaderAmount: 1000, leaderMax: 1500, current: 1000)
        #expect(AuctionRules.minimumAmount(for: "B", standing: s, startingBid: 1000, increment: 100) == 1100)
        #expect(AuctionRules.minimumAmount(for: "A", standing: s, startingBid: 1000, increment: 100) == 1000)
        #expect(AuctionRules.refusal(bidder: "A", amount: 1000, maximum: 1500, standing: s, startingBid: 1000, increment: 100)
            == .maximumNotRaised(minimum: 1501))
    }

    @Test("soft close: a bid in the last 10 seconds moves the end to 10 seconds after it")
    func softClose() {
        #expect(AuctionRules.endsAt(1000, afterBidAt: 980) == 1000)
        #expect(AuctionRules.endsAt(1000, afterBidAt: 990) == 1000)
        #expect(AuctionRules.endsAt(1000, afterBidAt: 991) == 1001)
        #expect(AuctionRules.endsAt(1000, afterBidAt: 999) == 1009)
    }
}
