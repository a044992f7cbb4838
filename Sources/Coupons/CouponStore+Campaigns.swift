import Core
import Storage

/// The SQL behind ``CouponEngine``: campaigns, their budget counters, and coupons as issued and redeemed.
extension CouponStore {
    // MARK: - Campaigns

    static func campaign(_ id: String, in db: any Transaction) throws -> Campaign? {
        try db.queryOne("SELECT * FROM campaigns WHERE id = ?", id).map(campaign(from:))
    }

    static func campaign(key: String, in db: any Transaction) throws -> Campaign? {
        try db.queryOne("SELECT * FROM campaigns WHERE key = ?", key).map(campaign(from:))
    }

    /// - Throws: `409 key_taken` when another campaign has the key (its UNIQUE index decides).
    static func insert(_ c: Campaign, in db: any Transaction) throws {
        do {
            // In a savepoint: a failed statement aborts the whole transaction on PostgreSQL, and the caller may go on.
            _ = try db.savepoint {
                try db.run(
                    """
                    INSERT INTO campaigns (id, key, name, discount_type, discount_value, min_spend_cents,
                        max_discount_cents, valid_from, valid_until, max_coupons, per_account_limit, status, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    c.id, c.key, c.name, c.discount.type, c.discount.value, c.minSpendCents, c.maxDiscountCents,
                    c.validFrom, c.validUntil, c.maxCoupons, c.perAccountLimit, c.status.rawValue, c.createdAt
                )
            }
        } catch let error as SQLiteError where error.isUniqueConstraintViolation {
            throw CouponError.keyTaken(c.key ?? "")
        }
    }

    // MARK: - Budget

    /// Counts one more issued coupon against the campaign's budget: from the free budget, or from what a live drop
    /// reserved. - Returns: false when that budget is spent (nothing changed then).
    static func takeFromBudget(_ campaignID: String, fromReservation: Bool = false, in db: any Transaction) throws -> Bool {
        // Invariant: issued + reserved <= max_coupons — each guarded UPDATE issues within the budget under any
        // concurrency; the table's CHECK backs it up.
        let changed = fromReservation
            ? try db.run(
                "UPDATE campaigns SET issued = issued + 1, reserved = reserved - 1 WHERE id = ? AND reserved > 0", campaignID
            )
            : try db.run(
                "UPDATE campaigns SET issued = issued + 1 WHERE id = ? AND issued + reserved < max_coupons", campaignID
            )
        return changed == 1
    }

    /// Sets `quantity` of the free budget aside. - Returns: false when not that much is left.
    static func reserve(_ quantity: Int64, of campaignID: String, in db: any Transaction) throws -> Bool {
        // Invariant: issued + reserved <= max_coupons, as in takeFromBudget.
        try db.run(
            "UPDATE campaigns SET reserved = reserved + ? WHERE id = ? AND issued + reserved + ? <= max_coupons",
            quantity, campaignID, quantity
        ) == 1
    }

    /// Gives reserved budget back, never below zero.
    static func release(_ quantity: Int64, of campaignID: String, in db: any Transaction) throws {
        // CASE in place of SQLite's two-argument max(), which PostgreSQL lacks (its GREATEST).
        try db.run(
            "UPDATE campaigns SET reserved = CASE WHEN reserved > ? THEN reserved - ? ELSE 0 END WHERE id = ?",
            quantity, quantity, campaignID
        )
    }

    // MARK: - Coupons

    /// Coupons of the campaign the account holds, redeemed or not (its per-account limit counts them).
    static func couponCount(of campaignID: String, heldBy accountID: String, in db: any Transaction) throws -> Int64 {
        try db.scalar("SELECT COUNT(*) FROM coupons WHERE campaign_id = ? AND account_id = ?", campaignID, accountID) ?? 0
    }

    static func insert(_ coupon: Coupon, in db: any Transaction) throws {
        try db.run(
            "INSERT INTO coupons (id, campaign_id, account_id, code, source, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            coupon.id, coupon.campaignID, coupon.accountID, coupon.code, coupon.source.rawValue, coupon.createdAt
        )
    }

    /// A goodwill coupon: its own fixed amount instead of the campaign's discount.
    static func insertGoodwill(
        _ id: String, of campaignID: String, to accountID: String, amountCents: Int64, now: Int64, in db: any Transaction
    ) throws {
        try db.run(
            """
            INSERT INTO coupons (id, campaign_id, account_id, code, source, created_at, fixed_discount_cents)
            VALUES (?, ?, ?, NULL, 'goodwill', ?, ?)
            """,
            id, campaignID, accountID, now, amountCents
        )
    }

    /// Marks the coupon used by `orderID` and counts the redemption and its discount on the campaign.
    /// - Returns: false when it was used already (nothing changed then).
    static func redeem(
        _ couponID: String, of campaignID: String, order orderID: String, discountCents: Int64, now: Int64,
        in db: any Transaction
    ) throws -> Bool {
        // Invariant: a coupon pays for one order — the guard hands out the redemption once under any concurrency.
        guard try db.run(
            "UPDATE coupons SET redeemed_order_id = ?, redeemed_at = ? WHERE id = ? AND redeemed_order_id IS NULL",
            orderID, now, couponID
        ) == 1 else { return false }
        try db.run(
            "UPDATE campaigns SET redeemed = redeemed + 1, discount_granted_cents = discount_granted_cents + ? WHERE id = ?",
            discountCents, campaignID
        )
        return true
    }

    static func coupon(_ id: String, in db: any Transaction) throws -> Coupon? {
        try db.queryOne("\(couponSelect) WHERE k.id = ?", id).map(coupon(from:))
    }

    /// Every coupon of an account, newest first.
    static func allCoupons(of accountID: String, in db: any Transaction) throws -> [Coupon] {
        try db.query("\(couponSelect) WHERE k.account_id = ? ORDER BY k.created_at DESC, k.id DESC", accountID)
            .map(coupon(from:))
    }

    // MARK: - Rows

    static let couponSelect = """
        SELECT k.id, k.campaign_id, k.account_id, k.code, k.source, k.redeemed_order_id, k.created_at,
               CASE WHEN k.fixed_discount_cents IS NULL THEN c.discount_type ELSE 'fixed' END AS discount_type,
               COALESCE(k.fixed_discount_cents, c.discount_value) AS discount_value, c.min_spend_cents,
               CASE WHEN k.fixed_discount_cents IS NULL THEN c.max_discount_cents END AS max_discount_cents, c.valid_until,
               c.name AS campaign_name
        FROM coupons k JOIN campaigns c ON c.id = k.campaign_id
        """

    static func coupon(from row: Row) -> Coupon {
        var coupon = Coupon(
            id: row.string("id"), campaignID: row.string("campaign_id"), accountID: row.string("account_id"),
            code: row.optionalString("code"), redeemed: row.optionalString("redeemed_order_id") != nil,
            discount: rule(type: row.string("discount_type"), value: row.int64("discount_value")),
            minSpendCents: row.int64("min_spend_cents"), maxDiscountCents: row.optionalInt64("max_discount_cents"),
            validUntil: row.int64("valid_until"), source: CouponSource(rawValue: row.string("source")) ?? .grant,
            redeemedOrderID: row.optionalString("redeemed_order_id"), createdAt: row.int64("created_at")
        )
        coupon.campaignName = row.optionalString("campaign_name") ?? ""
        return coupon
    }

    static func campaign(from row: Row) -> Campaign {
        Campaign(
            id: row.string("id"), key: row.optionalString("key"), name: row.string("name"),
            discount: rule(type: row.string("discount_type"), value: row.int64("discount_value")),
            minSpendCents: row.int64("min_spend_cents"), maxDiscountCents: row.optionalInt64("max_discount_cents"),
            validFrom: row.int64("valid_from"), validUntil: row.int64("valid_until"),
            maxCoupons: row.int64("max_coupons"), perAccountLimit: row.int64("per_account_limit"),
            status: CampaignStatus(rawValue: row.string("status")) ?? .ended, issued: row.int64("issued"),
            reserved: row.int64("reserved"), redeemed: row.int64("redeemed"),
            discountGrantedCents: row.int64("discount_granted_cents"), createdAt: row.int64("created_at")
        )
    }

    static func rule(type: String, value: Int64) -> DiscountRule {
        type == "percent" ? .percent(value) : .fixed(value)
    }
}
