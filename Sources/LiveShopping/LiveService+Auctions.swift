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

    /// Lets the scheduler close auctions, and gives closing the order service that places a winner's order; the
    /// sessions whose auctions closed are woken after each batch commits.
    ///
    /// A close that keeps failing is not dropped with the auction left open: the scheduler's last resort settles it
    /// without an order (see ``closeAuction(_:force:placingOrder:now:in:)``).
    public func register(on scheduler: Scheduler, orders: OrderService) {
        self.orders.withLock { $0 = orders }
        let closed = Mutex<Set<String>>([])
        scheduler.handle(
            Self.auctionCloseJob,
            { [self] job, now, db in
                if let sessionID = try closeAuction(job.key, force: false, now: now, in: db) {
                    closed.withLock { _ = $0.insert(sessionID) }
                }
            },
            givingUp: { [self] job, now, db in
                if let sessionID = try closeAuction(job.key, force: true, placingOrder: false, now: now, in: db) {
                    closed.withLock { _ = $0.insert(sessionID) }
                }
            }
        )
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
    /// - Throws: `404` for a session, or a pin that is not one of its pins; `403` when the bidder hosts the session.
    public func checkPin(sessionID: String, pinID: String, bidder: String) async throws {
        try await database.read { db in try Self.requireBiddable(sessionID, pinID: pinID, bidder: bidder, in: db) }
    }

    /// The path checks of a bid, in the contract's order: `404` for the session and the pin, then `403` for the
    /// host, whose bids would drive up the price of its own sale (shill bidding).
    private static func requireBiddable(_ sessionID: String, pinID: String, bidder: String, in db: any Transaction) throws {
        let session = try LiveStore.requireSession(sessionID, in: db)
        guard try LiveStore.pinRecord(pinID, session: sessionID, in: db) != nil else { throw LiveError.pinNotFound(pinID) }
        guard session.hostID != bidder else { throw LiveError.hostBid }
    }

    /// ``bid(sessionID:pinID:accountID:amountCents:maxCents:now:in:)`` in its own keyed transaction; the session's
    /// viewers hear of it once it committed.
    public func bid(
        sessionID: String, pinID: String, accountID: String, amountCents: Int64, maxCents: Int64?, key: IdempotencyKey?,
        answering: Answering<Bid>
    ) async throws -> Keyed<Bid> {
        let keyed = try await database.write(keyed: key, clock: clock, answering: answering) { [self] now, db in
            try bid(sessionID: sessionID, pinID: pinID, accountID: accountID, amountCents: amountCents, maxCents: maxCents, now: now, in: db)
        }
        if keyed.committed != nil { didCommit(sessionID: sessionID) }
        return keyed
    }

    /// Places a bid inside the caller's transaction; call `didCommit(sessionID:)` after the commit.
    ///
    /// The bidder with the highest maximum leads and has that maximum held; the one it replaces gets its hold back
    /// in the same transaction. A leader's raise holds only the difference. A bid in the last 10 seconds moves the
    /// end (and the scheduled close) to 10 seconds after it.
    /// - Parameters:
    ///   - maxCents: the bid's maximum; its amount when `nil`.
    /// - Returns: the bid.
    /// - Throws: `404`, `403` (the session's host), `409 invalid_state` (not an open auction, or its time ran out),
    ///   `409 bid_too_low` (with the minimum), `402 insufficient_funds` (the maximum is not covered).
    public func bid(
        sessionID: String, pinID: String, accountID: String, amountCents: Int64, maxCents: Int64?, now: Int64,
        in db: any Transaction
    ) throws -> Bid {
        try Self.requireBiddable(sessionID, pinID: pinID, bidder: accountID, in: db)
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
        now: Int64, in db: any Transaction
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
    static func firstName(of accountID: String, in db: any Transaction) throws -> String {
        let name = try AccountService.displayName(of: accountID, in: db) ?? ""
        return name.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? name
    }

    // MARK: - Closing

    /// Why an auction with a leader closed `unsold`, as `auction.closed` names it in `reason`.
    enum UnsoldReason: String {
        /// The winner's order could not be placed (the close's savepoint rolled it back).
        case orderFailed = "order_failed"
        /// The scheduler gave up on a close that kept failing and settled it without an order.
        case closeFailed = "close_failed"
    }

    /// Closes an auction inside the caller's transaction: sold, the leader's hold becomes a paid order at the current
    /// bid (the rest of the hold is released) counted in the session's stats; unsold, the unit goes back to stock.
    /// Logs `auction.closed` and ends the pin.
    ///
    /// A close always settles: when the winner's order cannot be placed (it is tried in a savepoint), or when
    /// `placingOrder` is false, the auction closes `unsold` instead — the leader's hold released, the unit back in
    /// stock — and `auction.closed` says why in `reason`. Everything happens in the caller's one transaction.
    ///
    /// - Parameters:
    ///   - force: close even before `ends_at` (the session ended, or the scheduler gave up); otherwise an auction
    ///     whose end moved is scheduled again instead.
    ///   - placingOrder: false for the scheduler's last resort, which settles without trying the order again.
    /// - Returns: the session to wake after the commit, `nil` when nothing closed.
    func closeAuction(
        _ pinID: String, force: Bool, placingOrder: Bool = true, now: Int64, in db: any Transaction
    ) throws -> String? {
        guard let open = try LiveStore.auctionRecord(pinID, in: db), open.status == .open else { return nil }
        if !force, open.endsAt > now {
            try Scheduler.schedule(Self.auctionCloseJob, key: pinID, at: open.endsAt, in: db)
            return nil
        }
        guard let closed = try LiveStore.markClosed(pinID, selling: placingOrder, now: now, in: db) else { return nil }
        var order: Order?
        var unsold: UnsoldReason?
        if let standing = closed.standing {
            if placingOrder {
                do {
                    order = try db.savepoint { try placeWinningOrder(closed, standing: standing, now: now, in: db) }
                } catch {
                    logger.warning(
                        "auction closed unsold: the winner's order could not be placed",
                        ["pin_id": pinID, "error": String(describing: error)]
                    )
                    unsold = .orderFailed
                }
            } else {
                unsold = .closeFailed
            }
            if unsold == .orderFailed { try LiveStore.markUnsold(pinID, in: db) }
            if unsold != nil { try Escrow.release(reference: pinID, of: standing.leader, ids: ids, now: now, in: db) }
        }
        if order == nil { try ProductStore.returnStock(closed.productID, quantity: 1, now: now, in: db) }
        try Scheduler.cancel(Self.auctionCloseJob, key: pinID, in: db)
        try LiveStore.append(
            LiveEventName.auctionClosed,
            [
                "pin_id": .string(pinID), "status": .string(order == nil ? "unsold" : "sold"),
                "winning_bid_cents": JSON(order?.totalCents), "order_id": JSON(order?.id),
                "reason": JSON(unsold?.rawValue),
            ],
            session: closed.sessionID, now: now, in: db
        )
        if let pin = try LiveStore.pinRecord(pinID, session: closed.sessionID, in: db) { try Self.endPin(pin, now: now, in: db) }
        return closed.sessionID
    }

    /// The winner's paid order of one unit at the current bid, through the same placement as any order held in
    /// escrow (so a referral's first order is decided by it, API.md §20), counted in the session's stats.
    private func placeWinningOrder(
        _ closed: AuctionRecord, standing: AuctionRules.Standing, now: Int64, in db: any Transaction
    ) throws -> Order {
        guard let orders = orders.withLock({ $0 }) else {
            preconditionFailure("LiveService.register(on:orders:) runs before any auction closes")
        }
        guard let product = try ProductStore.product(closed.productID, in: db) else {
            throw Failure.notFound("Product \(closed.productID)")
        }
        let item = Order.Item(
            line: 0, productID: product.id, title: product.title, quantity: 1, unitPriceCents: standing.current,
            flash: false, refundedQuantity: 0
        )
        let order = try orders.placeOrder(
            capturingHold: closed.pinID, for: standing.leader, items: [item], address: nil,
            liveSessionID: closed.sessionID, pinID: closed.pinID, now: now, in: db
        )
        try LiveStore.setAuctionOrder(order.id, of: closed.pinID, in: db)
        try LiveStore.insertOrder(order.id, sessionID: closed.sessionID, accountID: standing.leader, units: 1, now: now, in: db)
        return order
    }

    /// Closes every open auction of a session at once (its end, API.md §24).
    func closeAuctions(of sessionID: String, now: Int64, in db: any Transaction) throws {
        for pinID in try LiveStore.openAuctions(of: sessionID, in: db) {
            _ = try closeAuction(pinID, force: true, now: now, in: db)
        }
    }
}
