import Core

/// An auction pin's state (API.md §22): one unit sold to the highest maximum, at the proxy price.
public struct Auction: Sendable, Equatable {
    public enum Status: String, Sendable {
        case open, sold, unsold
    }

    /// The bidder who leads now, with the name the stream shows.
    public struct Leader: Sendable, Equatable {
        public var accountID: String
        public var displayName: String
    }

    public var startingBidCents: Int64
    public var incrementCents: Int64
    /// `nil` before the first bid.
    public var currentBidCents: Int64?
    public var leader: Leader?
    /// The number of bids.
    public var bids: Int64
    /// Moves on a bid in the last ``softCloseSeconds`` (soft close).
    public var endsAt: Int64
    public var status: Status
    /// The winner's order once sold.
    public var orderID: String?
}

/// A bid as answered to its bidder.
public struct Bid: Sendable, Equatable {
    public var id: String
    public var amountCents: Int64
    public var maxCents: Int64
    /// Whether the bidder leads after this bid.
    public var leading: Bool
    public var currentBidCents: Int64
    public var endsAt: Int64
}

/// A bid as the bidder's data export shows it (API.md §24).
public struct PlacedBid: Sendable, Equatable {
    public var id: String
    public var sessionID: String
    public var pinID: String
    public var amountCents: Int64
    public var maxCents: Int64
    /// Whether the bid led when it was placed.
    public var leading: Bool
    public var createdAt: Int64
}

/// The proxy-bidding rule of API.md §22 and §24, pure: no I/O, money in integer cents.
///
/// Each bid has a maximum (its `max_cents`, else its amount). The leader is the bidder with the highest maximum (the
/// earlier bid on a tie); the current bid is the larger of the leader's own amount and the second-highest maximum
/// (the highest among bidders other than the leader) plus the increment, never above the leader's maximum. A leader
/// may raise its maximum without moving the current bid.
public enum AuctionRules {
    /// A bid in the last this many seconds moves `ends_at` to this many seconds after it.
    public static let softCloseSeconds: Int64 = 10
    public static let durationRange: ClosedRange<Int64> = 10...600

    /// Who leads and at what price.
    public struct Standing: Sendable, Equatable {
        public var leader: String
        /// The amount of the bid that made `leader` the leader; a raise keeps it.
        public var leaderAmount: Int64
        public var leaderMax: Int64
        public var current: Int64

        public init(leader: String, leaderAmount: Int64, leaderMax: Int64, current: Int64) {
            (self.leader, self.leaderAmount, self.leaderMax, self.current) = (leader, leaderAmount, leaderMax, current)
        }
    }

    /// Why a bid is refused before any money moves.
    public enum Refusal: Sendable, Equatable {
        /// `amount_cents` below the minimum (`409 bid_too_low` with `minimum_cents`).
        case amountTooLow(minimum: Int64)
        /// The leader's new maximum is not above its maximum: nothing to raise.
        case maximumNotRaised(minimum: Int64)
    }

    /// The smallest amount `bidder` may bid now: the starting bid first, the current bid for the leader's raise,
    /// else the current bid plus the increment.
    public static func minimumAmount(for bidder: String, standing: Standing?, startingBid: Int64, increment: Int64) -> Int64 {
        guard let standing else { return startingBid }
        return bidder == standing.leader ? standing.current : standing.current + increment
    }

    /// Checks a bid against the standing, before anything is written.
    public static func refusal(
        bidder: String, amount: Int64, maximum: Int64, standing: Standing?, startingBid: Int64, increment: Int64
    ) -> Refusal? {
        let minimum = minimumAmount(for: bidder, standing: standing, startingBid: startingBid, increment: increment)
        if amount < minimum { return .amountTooLow(minimum: minimum) }
        if let standing, bidder == standing.leader, maximum <= standing.leaderMax {
            return .maximumNotRaised(minimum: standing.leaderMax + 1)
        }
        return nil
    }

    /// The standing after an admitted bid (``refusal(bidder:amount:maximum:standing:startingBid:increment:)`` is nil).
    ///
    /// - Parameters:
    ///   - secondMax: the highest maximum among bidders other than the leader before this bid, `nil` when none.
    /// - Returns: the new standing.
    public static func place(
        bidder: String, amount: Int64, maximum: Int64, standing: Standing?, secondMax: Int64?, increment: Int64
    ) -> Standing {
        guard var standing else {
            return Standing(leader: bidder, leaderAmount: amount, leaderMax: maximum, current: amount)
        }
        if bidder == standing.leader {
            // A raise: a higher maximum is held, the price stays (API.md §24).
            standing.leaderMax = maximum
            return standing
        }
        if maximum > standing.leaderMax {
            // The old leader's maximum is now the highest among the others.
            let current = min(max(amount, standing.leaderMax + increment), maximum)
            return Standing(leader: bidder, leaderAmount: amount, leaderMax: maximum, current: current)
        }
        // The leader keeps the lead (the earlier bid wins a tie); this maximum may be the new second-highest.
        let second = max(secondMax ?? maximum, maximum)
        standing.current = min(max(standing.leaderAmount, second + increment), standing.leaderMax)
        return standing
    }

    /// When the auction ends after a bid at `now`: a bid in the last 10 seconds moves it to 10 seconds after it.
    public static func endsAt(_ endsAt: Int64, afterBidAt now: Int64) -> Int64 {
        max(endsAt, now + softCloseSeconds)
    }
}
