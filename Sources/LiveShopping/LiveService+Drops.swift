import Accounts
import Core
import Coupons
import Storage

extension LiveService {
    /// Drops `quantity` coupons of a campaign into a live session, reserving them from the campaign's budget.
    /// - Returns: the drop.
    /// - Throws: `404` (session, or `campaign_id`), `403` (not its host), `409 invalid_state` (not live),
    ///   `409 sold_out` (no room in the budget), `422 coupon_invalid` (campaign paused, ended or not valid now).
    public func dropCoupons(sessionID: String, by caller: Principal, campaignID: String, quantity: Int64) async throws -> CouponDrop {
        let now = self.now
        let id = ids.next("drop")
        let drop = try await database.write { db -> CouponDrop in
            let s = try LiveStore.requireSession(sessionID, in: db)
            try Self.requireHost(s, caller)
            guard s.status == .live else { throw LiveError.invalidState("Coupon drops need a live session; \(sessionID) is \(s.status.rawValue)") }
            guard try CouponEngine.campaign(campaignID, in: db) != nil else {
                throw LiveError.campaignNotFound(campaignID)
            }
            try CouponEngine.reserve(campaignID: campaignID, quantity: quantity, now: now, in: db)
            try LiveStore.insertDrop(id: id, sessionID: sessionID, campaignID: campaignID, quantity: quantity, now: now, in: db)
            try LiveStore.append(
                LiveEventName.couponDropStarted,
                ["drop_id": .string(id), "campaign_id": .string(campaignID), "quantity": .int(quantity)],
                session: sessionID, now: now, in: db
            )
            guard let drop = try LiveStore.drop(id, in: db) else { throw LiveError.dropNotFound(id) }
            return drop
        }
        hub.notify(sessionID)
        return drop
    }

    /// Checks the path of a claim before its body and idempotency key are looked at.
    /// - Throws: `404` for a session or a drop of another session that does not exist.
    public func checkDrop(sessionID: String, dropID: String) async throws {
        try await database.read { db in
            _ = try LiveStore.requireSession(sessionID, in: db)
            guard let drop = try LiveStore.drop(dropID, in: db), drop.sessionID == sessionID else {
                throw LiveError.dropNotFound(dropID)
            }
        }
    }

    /// ``claim(sessionID:dropID:accountID:now:in:)`` in its own keyed transaction; the session's viewers hear of it
    /// once it committed.
    public func claim(
        sessionID: String, dropID: String, accountID: String, key: IdempotencyKey?, answering: Answering<Coupon>
    ) async throws -> Keyed<Coupon> {
        let keyed = try await database.write(keyed: key, clock: clock, answering: answering) { [self] now, db in
            try claim(sessionID: sessionID, dropID: dropID, accountID: accountID, now: now, in: db)
        }
        if keyed.committed != nil { didCommit(sessionID: sessionID) }
        return keyed
    }

    /// Claims one coupon of a drop, inside the caller's transaction; call `didCommit(sessionID:)` after the commit.
    ///
    /// First come first served: the guarded UPDATE on `claimed` lets exactly `quantity` claims through, and the
    /// primary key on (drop, account) one per account, under any concurrency.
    /// - Returns: the coupon, issued from the drop's reservation.
    /// - Throws: `404`, `409 invalid_state` (not live), `409 already_claimed`, `409 sold_out`, and the campaign's
    ///   own refusals (`409 limit_reached`, `422 coupon_invalid`).
    public func claim(
        sessionID: String, dropID: String, accountID: String, now: Int64, in db: any Transaction
    ) throws -> Coupon {
        let s = try LiveStore.requireSession(sessionID, in: db)
        guard let drop = try LiveStore.drop(dropID, in: db), drop.sessionID == sessionID else {
            throw LiveError.dropNotFound(dropID)
        }
        guard s.status == .live else { throw LiveError.invalidState("Claims need a live session; \(sessionID) is \(s.status.rawValue)") }
        if try LiveStore.hasClaimed(accountID, drop: dropID, in: db) { throw LiveError.alreadyClaimed }
        guard try LiveStore.takeDropCoupon(dropID, in: db) else {
            throw LiveError.soldOut("All \(drop.quantity) coupons of drop \(dropID) were claimed")
        }
        let coupon = try CouponEngine.issue(
            campaignID: drop.campaignID, to: accountID, source: .liveDrop, fromReservation: true, id: ids.next("cpn"),
            now: now, in: db
        )
        try LiveStore.insertClaim(drop: dropID, accountID: accountID, couponID: coupon.id, now: now, in: db)
        try LiveStore.append(
            LiveEventName.couponDropClaimed, ["drop_id": .string(dropID), "remaining": .int(drop.remaining - 1)],
            session: sessionID, now: now, in: db
        )
        return coupon
    }

    /// Fans out what a committed transaction added to a session's log.
    public func didCommit(sessionID: String) {
        hub.notify(sessionID)
    }
}
