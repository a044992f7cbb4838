import Core
import Storage

extension LiveStore {
    static func drop(_ id: String, in db: any Transaction) throws -> CouponDrop? {
        try db.queryOne("SELECT * FROM live_coupon_drops WHERE id = ?", id).map(drop(from:))
    }

    static func insertDrop(
        id: String, sessionID: String, campaignID: String, quantity: Int64, now: Int64, in db: any Transaction
    ) throws {
        try db.run(
            "INSERT INTO live_coupon_drops (id, session_id, campaign_id, quantity, created_at) VALUES (?, ?, ?, ?, ?)",
            id, sessionID, campaignID, quantity, now
        )
    }

    /// The drops of a session whose unclaimed coupons have not gone back to their campaigns.
    static func unreleasedDrops(of sessionID: String, in db: any Transaction) throws -> [CouponDrop] {
        try db.query("SELECT * FROM live_coupon_drops WHERE session_id = ? AND released = 0", sessionID).map(drop(from:))
    }

    static func markReleased(_ dropID: String, in db: any Transaction) throws {
        try db.run("UPDATE live_coupon_drops SET released = 1 WHERE id = ?", dropID)
    }

    static func hasClaimed(_ accountID: String, drop dropID: String, in db: any Transaction) throws -> Bool {
        try db.queryOne("SELECT 1 AS one FROM live_drop_claims WHERE drop_id = ? AND account_id = ?", dropID, accountID) != nil
    }

    /// Takes one coupon of a drop. Invariant: never more than `quantity` claimed; the guard in the UPDATE lets
    /// exactly `quantity` claims through under any concurrency.
    /// - Returns: `false` when every coupon was claimed.
    static func takeDropCoupon(_ dropID: String, in db: any Transaction) throws -> Bool {
        try db.run("UPDATE live_coupon_drops SET claimed = claimed + 1 WHERE id = ? AND claimed < quantity", dropID) == 1
    }

    /// Records a claim. Invariant: one claim per (drop, account), by the primary key.
    static func insertClaim(drop dropID: String, accountID: String, couponID: String, now: Int64, in db: any Transaction) throws {
        try db.run(
            "INSERT INTO live_drop_claims (drop_id, account_id, coupon_id, created_at) VALUES (?, ?, ?, ?)",
            dropID, accountID, couponID, now
        )
    }

    private static func drop(from row: Row) -> CouponDrop {
        CouponDrop(
            id: row.string("id"), sessionID: row.string("session_id"), campaignID: row.string("campaign_id"),
            quantity: row.int64("quantity"), claimed: row.int64("claimed"), createdAt: row.int64("created_at")
        )
    }
}
