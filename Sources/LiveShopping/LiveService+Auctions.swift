import Accounts
import Catalog
import Core
import Payments
import Storage

/// What a host sets when pinning an auction (API.md §22).
public struct AuctionTerms: Sendable, Equatable {
    public var startingBidCents: Int64
    public var incrementCents: Int64
    public var durationSeconds: Int64

    public init(startingBidCents: Int64, incrementCents: Int64, durationSeconds: Int64) {
        (self.startingBidCents, self.incrementCents, self.durationSeconds) = (startingBidCents, incrementCents, durationSeconds)
    }
}

/// Live auctions (API.md §22, §24): bids with proxy maximums, the leader's maximum held in escrow, soft close, and
/// the close by the scheduler into a paid order or back to stock.
extension LiveService {
    /// The scheduler's job that closes an auction at its `ends_at`, keyed by pin id; a soft close moves it.
    public static let auctionCloseJob = "live.auction_close"

    /// Lets the scheduler close auctions; the sessions whose auctions closed are woken after each batch commits.
    public func register(on scheduler: Scheduler) {
        let closed = Mutex<Set<String>>([])
        scheduler.handle(Self.auctionCloseJob) { [self] job, now, db in
            if let sessionID = try closeAuction(job.key, force: false, now: now, in: db) {
                closed.withLock { _ = $0.insert(sessionID) }
            }
        }
        scheduler.afterEachBatch { [hub] in
            let sessions = closed.withLock { sessions in
                defer { sessions = [] }
                return sessions
            }
            for id in sessions { hub.notify(id) }
        }
    }

    // MARK: - Bids

    /// Checks the path of a bid before its body and idempotency key are looked at.
    /// - Throws: `404` for a session, or a pin that is not one of its pins.
    public func checkPin(sessionID: String, pinID: String) async throws {
        try await database.read { db in
            _ = try LiveStore.requireSession(sessionID, in: db)
            guard try LiveStore.pinRecord(pinID, session: sessionID, in: db) != nil else { throw LiveError.pinNotFound(pinID) }
        }
    }

    /// Places a bid inside the caller's transaction (the idempotent bid route's); call `didCommit(sessionID:)` after
    /// the commit.
    ///
    /// The bidder with the highest maximum leads and has that maximum held; the one it replaces gets its hold back
    /// in the same transaction. A leader's raise holds only the difference. A bid in the last 10 seconds moves the
    /// end (and the scheduled close) to 10 seconds after it.
    /// - Parameters:
    ///   - maxCents: the bid's maximum; its amount when `nil`.
    /// - Returns: the bid.
    /// - Throws: `404`, `409 invalid_state` (not an open auction, or its time ran out), `409 bid_too_low` (with the
    ///   minimum), `402 insufficient_funds` (the maximum is not covered).
    public func bid(
        sessionID: String, pinID: String, accountID: String, amountCents: Int64, maxCents: Int64?, now: Int64,
        in db: Connection
    ) throws -> Bid {
        _ = try LiveStore.requireSession(sessionID, in: db)
        guard try LiveStore.pinRecord(pinID, session: sessionID, in: db) != nil else { throw LiveError.pinNotFound(pinID) }
        // A session's end closes its auctions, so an open auction means a live session.
        guard let auction = try LiveStore.lockOpenAuction(pinID, session: sessionID, now: now, in: db) else {
            throw LiveError.invalidState("Pin \(pinID) is not an open auction")
        }
        let maximum = maxCents ?? amountCents
        let standing = auction.standing
        switch AuctionRules.refusal(
            bidder: accountID, amount: amountCents, maximum: maximum, standing: standing,
            startingBid: auction.startingBidCents, increment: auction.incrementCents
        ) {
        case let .amountTooLow(minimum)?:
            throw LiveError.bidTooLow(minimum: minimum, "The bid must be at least \(minimum) cents")
        case let .maximumNotRaised(minimum)?:
            throw LiveError.bidTooLow(minimum: minimum, "You lead already; a raise needs a maximum of at least \(minimum) cents")
        case nil:
            break
        }
        let secondMax = try standing.flatMap { try LiveStore.highestMaximum(of: pinID, excluding: $0.leader, in: db) }
        let next = AuctionRules.place(
            bidder: accountID, amount: amountCents, maximum: maximum, standing: standing, secondMax: secondMax,
            increment: auction.incrementCents
        )
        try settleHolds(pinID: pinID, bidder: accountID, maximum: maximum, before: standing, after: next, now: now, in: db)
        let endsAt = AuctionRules.endsAt(auction.endsAt, afterBidAt: now)
        if endsAt != auction.endsAt { try Scheduler.schedule(Self.auctionCloseJob, key: pinID, at: endsAt, in: db) }
        try LiveStore.saveStanding(next, endsAt: endsAt, of: pinID, in: db)
        let id = ids.next("bid")
        let leading = next.leader == accountID
        try LiveStore.insertBid(
            id: id, pinID: pinID, accountID: accountID, amountCents: amountCents, maxCents: maximum, leading: leading,
            now: now, in: db
        )
        try LiveStore.append(
            LiveEventName.auctionBid,
            [
                "pin_id": .string(pinID), "current_bid_cents": .int(next.current),
                "leader_account_id": .string(next.leader),
                "leader_display_name": .string(try Self.firstName(of: next.leader, in: db)),
                "ends_at": .string(Timestamp.format(epochSeconds: endsAt)), "bids": .int(auction.bids),
            ],
            session: sessionID, now: now, in: db
        )
        return Bid(
            id: id, amountCents: amountCents, maxCents: maximum, leading: leading, currentBidCents: next.current,
            endsAt: endsAt
        )
    }

    /// Moves the money of a bid (API.md §24): only the leader's maximum is held. A new leader has its maximum held
    /// and the old one its hold released at once; a leader's raise holds the difference in one `hold` line; any
    /// other bidder's maximum must be covered by its balance. Runs after the bid passed its other checks: `402` last.
    private func settleHolds(
        pinID: String, bidder: String, maximum: Int64, before: AuctionRules.Standing?, after: AuctionRules.Standing,
        now: Int64, in db: Connection
    ) throws {
        switch before {
        case nil:
            try Escrow.hold(maximum, from: bidder, reference: pinID, ids: ids, now: now, in: db)
        case let old? where old.leader == bidder:
            try Escrow.hold(maximum - old.leaderMax, from: bidder, reference: pinID, ids: ids, now: now, in: db)
        case let old? where after.leader == bidder:
            try Escrow.hold(maximum, from: bidder, reference: pinID, ids: ids, now: now, in: db)
            try Escrow.release(reference: pinID, of: old.leader, ids: ids, now: now, in: db)
        default:
            let balance = try Ledger.balance(of: Ledger.wallet(bidder), in: db)
            guard balance >= maximum else { throw PaymentsError.insufficientFunds(balance: balance, needed: maximum) }
        }
    }

    /// A display name's first word, as the stream shows buyers and bidders (API.md §9, §24).
    static func firstName(of accountID: String, in db: Connection) throws -> String {
        let name = try AccountService.displayName(of: accountID, in: db) ?? ""
        return name.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? name
    }

    // MARK: - Closing

    /// Closes an auction inside the caller's transaction: sold, the leader's hold becomes a paid order at the current
    /// bid (the rest of the hold is released) counted in the session's stats; unsold, the unit goes back to stock.
    /// Logs `auction.closed` and ends the pin.
    ///
    /// - Parameters:
    ///   - force: close even before `ends_at` (the session ended); otherwise an auction whose end moved is
    ///     scheduled again instead.
    /// - Returns: the session to wake after the commit, `nil` when nothing closed.
    func closeAuction(_ pinID: String, force: Bool, now: Int64, in db: Connection) throws -> String? {
        guard let open = try LiveStore.auctionRecord(pinID, in: db), open.status == .open else { return nil }
        if !force, open.endsAt > now {
            try Scheduler.schedule(Self.auctionCloseJob, key: pinID, at: open.endsAt, in: db)
            return nil
        }
        guard let closed = try LiveStore.markClosed(pinID, now: now, in: db) else { return nil }
        var orderID: String?
        if let standing = closed.standing {
            let order = try OrderService.placeFromHold(
                reference: pinID, accountID: standing.leader, productID: closed.productID, amountCents: standing.current,
                liveSessionID: closed.sessionID, pinID: pinID, ids: ids, renderer: renderer, now: now, in: db
            )
            try LiveStore.setAuctionOrder(order.id, of: pinID, in: db)
            try LiveStore.insertOrder(order.id, sessionID: closed.sessionID, accountID: standing.leader, units: 1, now: now, in: db)
            orderID = order.id
        } else {
            try ProductStore.returnStock(closed.productID, quantity: 1, now: now, in: db)
        }
        try Scheduler.cancel(Self.auctionCloseJob, key: pinID, in: db)
        try LiveStore.append(
            LiveEventName.auctionClosed,
            [
                "pin_id": .string(pinID), "status": .string(closed.standing == nil ? "unsold" : "sold"),
                "winning_bid_cents": JSON(closed.standing?.current), "order_id": JSON(orderID),
            ],
            session: closed.sessionID, now: now, in: db
        )
        if let pin = try LiveStore.pinRecord(pinID, session: closed.sessionID, in: db) { try Self.endPin(pin, now: now, in: db) }
        return closed.sessionID
    }

    /// Closes every open auction of a session at once (its end, API.md §24).
    func closeAuctions(of sessionID: String, now: Int64, in db: Connection) throws {
        for pinID in try LiveStore.openAuctions(of: sessionID, in: db) {
            _ = try closeAuction(pinID, force: true, now: now, in: db)
        }
    }
}
