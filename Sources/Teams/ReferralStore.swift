import Core
import Storage

/// The SQL of referrals: sign-ups with a share code, their decision by the first order, the monthly caps.
enum ReferralStore {
    struct Pending {
        let shareID: String
        let sharerID: String
    }

    static func insert(account accountID: String, share: Share, now: Int64, in db: any Transaction) throws {
        try db.run(
            "INSERT INTO referrals (account_id, share_id, sharer_id, created_at) VALUES (?, ?, ?, ?)",
            accountID, share.id, share.accountID, now
        )
    }

    /// The account's referral while no order has decided it (a primary-key probe on every order).
    static func pending(_ accountID: String, in db: any Transaction) throws -> Pending? {
        try db.queryOne("SELECT share_id, sharer_id FROM referrals WHERE account_id = ? AND status = 'pending'", accountID)
            .map { Pending(shareID: $0.string("share_id"), sharerID: $0.string("sharer_id")) }
    }

    /// Decides a pending referral by its first order, as not rewarded for `reason` until ``reward(_:in:)``.
    /// - Returns: false when an earlier order decided it already.
    static func decide(_ accountID: String, firstOrder orderID: String, reason: String, now: Int64, in db: any Transaction) throws -> Bool {
        // Invariant: once per new account — only the order that moves the row out of 'pending' decides.
        try db.run(
            """
            UPDATE referrals SET status = 'not_rewarded', reason = ?, first_order_id = ?, decided_at = ?
            WHERE account_id = ? AND status = 'pending'
            """,
            reason, orderID, now, accountID
        ) == 1
    }

    static func reward(_ accountID: String, in db: any Transaction) throws {
        try db.run("UPDATE referrals SET status = 'rewarded', reason = NULL WHERE account_id = ?", accountID)
    }

    /// Takes one of the sharer's rewarded referrals of a calendar month. - Returns: false past the cap.
    static func takeMonthlySlot(of sharerID: String, month: String, cap: Int64, in db: any Transaction) throws -> Bool {
        try db.run(
            "INSERT INTO referral_months (sharer_id, month, rewarded) VALUES (?, ?, 0) ON CONFLICT (sharer_id, month) DO NOTHING",
            sharerID, month
        )
        // Invariant: the monthly cap — the guarded UPDATE counts at most `cap` rewards, whatever the concurrency.
        return try db.run(
            "UPDATE referral_months SET rewarded = rewarded + 1 WHERE sharer_id = ? AND month = ? AND rewarded < ?",
            sharerID, month, cap
        ) == 1
    }

    static func linkCoupon(_ couponID: String, to shareID: String, in db: any Transaction) throws {
        try db.run(
            "INSERT INTO referral_coupons (coupon_id, share_id) VALUES (?, ?) ON CONFLICT (coupon_id) DO NOTHING",
            couponID, shareID
        )
    }

    /// The referral share a coupon was given for.
    static func shareID(ofCoupon couponID: String, in db: any Transaction) throws -> String? {
        try db.queryOne("SELECT share_id FROM referral_coupons WHERE coupon_id = ?", couponID)?.string("share_id")
    }

    /// The referral share of an account whose first order this is.
    static func shareID(ofFirstOrder orderID: String, in db: any Transaction) throws -> String? {
        try db.queryOne("SELECT share_id FROM referrals WHERE first_order_id = ?", orderID)?.string("share_id")
    }

    static func counts(ofSharer accountID: String, in db: any Transaction) throws -> ReferralCounts {
        let row = try db.queryOne(
            """
            SELECT COUNT(*) AS signed_up, COALESCE(SUM(CASE WHEN status = 'rewarded' THEN 1 ELSE 0 END), 0) AS rewarded,
                COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0) AS pending
            FROM referrals WHERE sharer_id = ?
            """,
            accountID
        )
        return ReferralCounts(
            signedUp: row?.int64("signed_up") ?? 0, rewarded: row?.int64("rewarded") ?? 0, pending: row?.int64("pending") ?? 0
        )
    }
}
