import Core
import Storage

/// The one way coupons are issued and redeemed, by every source (codes, games, live drops, grants).
///
/// All functions run inside the caller's write transaction. SQLite has a single writer, so a check followed by an
/// update in one `BEGIN IMMEDIATE` transaction cannot interleave with another; the `CHECK (issued + reserved <=
/// max_coupons)` constraint and the guarded UPDATEs are a second line of defence.
public enum CouponEngine {
    // MARK: - Campaigns

    public static func campaign(_ id: String, in db: Connection) throws -> Campaign? {
        try db.queryOne("SELECT * FROM campaigns WHERE id = ?", id).map(campaign(from:))
    }

    public static func campaign(key: String, in db: Connection) throws -> Campaign? {
        try db.queryOne("SELECT * FROM campaigns WHERE key = ?", key).map(campaign(from:))
    }

    public static func insert(_ c: Campaign, in db: Connection) throws {
        do {
            try db.run(
                """
                INSERT INTO campaigns (id, key, name, discount_type, discount_value, min_spend_cents, max_discount_cents,
                    valid_from, valid_until, max_coupons, per_account_limit, status, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                c.id, c.key, c.name, c.discount.type, c.discount.value, c.minSpendCents, c.maxDiscountCents,
                c.validFrom, c.validUntil, c.maxCoupons, c.perAccountLimit, c.status.rawValue, c.createdAt
            )
        } catch let error as SQLiteError where error.isUniqueConstraintViolation {
            throw CouponError.keyTaken(c.key ?? "")
        }
    }

    /// Why a campaign cannot hand out or honour coupons at `now`, if it cannot.
    public static func availability(of c: Campaign, at now: Int64) -> CouponRejection? {
        switch c.status {
        case .ended: return .ended
        case .paused: return .paused
        case .active: break
        }
        if now < c.validFrom { return .notYetValid }
        if now > c.validUntil { return .expired }
        return nil
    }

    // MARK: - Issuing

    /// Issues one coupon of `campaignID` to `accountID`, within the budget and the per-account limit.
    ///
    /// - Parameters:
    ///   - fromReservation: take the coupon from budget a live drop reserved earlier instead of the free budget.
    /// - Throws: `coupon_invalid` (paused, ended, expired, not yet valid), `sold_out`, `limit_reached`.
    public static func issue(
        campaignID: String, to accountID: String, source: CouponSource, code: String? = nil,
        fromReservation: Bool = false, id: String, now: Int64, in db: Connection
    ) throws -> Coupon {
        guard let c = try campaign(campaignID, in: db) else { throw CouponError.campaignNotFound(campaignID) }
        if let rejection = availability(of: c, at: now) {
            throw CouponError.invalid(rejection, detail: "Campaign \(c.id) is \(rejection.rawValue.replacingOccurrences(of: "_", with: " "))")
        }
        let held = try db.scalar(
            "SELECT COUNT(*) FROM coupons WHERE campaign_id = ? AND account_id = ?", campaignID, accountID
        ) ?? 0
        guard held < c.perAccountLimit else { throw CouponError.limitReached }
        let changed = fromReservation
            ? try db.run(
                "UPDATE campaigns SET issued = issued + 1, reserved = reserved - 1 WHERE id = ? AND reserved > 0", campaignID
            )
            : try db.run(
                "UPDATE campaigns SET issued = issued + 1 WHERE id = ? AND issued + reserved < max_coupons", campaignID
            )
        guard changed == 1 else { throw CouponError.soldOut }
        var coupon = Coupon(
            id: id, campaignID: c.id, accountID: accountID, code: code, redeemed: false, discount: c.discount,
            minSpendCents: c.minSpendCents, maxDiscountCents: c.maxDiscountCents, validUntil: c.validUntil,
            source: source, redeemedOrderID: nil, createdAt: now
        )
        coupon.campaignName = c.name
        try db.run(
            "INSERT INTO coupons (id, campaign_id, account_id, code, source, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            coupon.id, coupon.campaignID, accountID, code, source.rawValue, now
        )
        return coupon
    }

    /// Sets `quantity` coupons of the budget aside (a live coupon drop), or throws `sold_out`.
    public static func reserve(campaignID: String, quantity: Int64, now: Int64, in db: Connection) throws {
        guard let c = try campaign(campaignID, in: db) else { throw CouponError.campaignNotFound(campaignID) }
        if let rejection = availability(of: c, at: now) {
            throw CouponError.invalid(rejection, detail: "Campaign \(c.id) is \(rejection.rawValue)")
        }
        let changed = try db.run(
            "UPDATE campaigns SET reserved = reserved + ? WHERE id = ? AND issued + reserved + ? <= max_coupons",
            quantity, campaignID, quantity
        )
        guard changed == 1 else { throw CouponError.soldOut }
    }

    /// Gives reserved but unclaimed budget back (a drop that ended with coupons left).
    public static func release(campaignID: String, quantity: Int64, in db: Connection) throws {
        try db.run("UPDATE campaigns SET reserved = MAX(0, reserved - ?) WHERE id = ?", quantity, campaignID)
    }

    // MARK: - Redeeming

    /// What a coupon takes off `subtotal`: ⌊subtotal × percent / 100⌋ capped by `max_discount_cents`, or the fixed
    /// amount; never more than the subtotal (API.md §12).
    public static func discount(_ rule: DiscountRule, maxDiscountCents: Int64?, subtotalCents: Int64) -> Int64 {
        var amount: Int64
        switch rule {
        case let .percent(p):
            amount = subtotalCents * p / 100
            if let cap = maxDiscountCents { amount = min(amount, cap) }
        case let .fixed(cents):
            amount = cents
        }
        return max(0, min(amount, subtotalCents))
    }

    /// Redeems a coupon for an order inside the checkout transaction and returns the discount in cents.
    ///
    /// - Throws: `coupon_invalid` with the reason: `not_owner` (unknown or another account's), `already_redeemed`,
    ///   `ended`, `paused`, `not_yet_valid`, `expired`, `min_spend_not_met`.
    public static func redeem(
        couponID: String, accountID: String, subtotalCents: Int64, orderID: String, now: Int64, in db: Connection
    ) throws -> Int64 {
        guard let coupon = try coupon(couponID, in: db), coupon.accountID == accountID else {
            throw CouponError.invalid(.notOwner, detail: "Coupon \(couponID) is not yours")
        }
        if coupon.redeemed {
            throw CouponError.invalid(.alreadyRedeemed, detail: "Coupon \(couponID) was already used")
        }
        guard let c = try campaign(coupon.campaignID, in: db) else { throw CouponError.campaignNotFound(coupon.campaignID) }
        if let rejection = availability(of: c, at: now) {
            let detail = rejection == .expired
                ? "Coupon \(couponID) expired at \(Timestamp.format(epochSeconds: c.validUntil))"
                : "Coupon \(couponID) cannot be used: \(rejection.rawValue.replacingOccurrences(of: "_", with: " "))"
            throw CouponError.invalid(rejection, detail: detail)
        }
        guard subtotalCents >= c.minSpendCents else {
            throw CouponError.invalid(.minSpendNotMet, detail: "Coupon \(couponID) needs a subtotal of at least \(c.minSpendCents) cents")
        }
        // The coupon's own terms: its campaign's, or a goodwill coupon's fixed amount.
        let amount = discount(coupon.discount, maxDiscountCents: coupon.maxDiscountCents, subtotalCents: subtotalCents)
        let changed = try db.run(
            "UPDATE coupons SET redeemed_order_id = ?, redeemed_at = ? WHERE id = ? AND redeemed_order_id IS NULL",
            orderID, now, couponID
        )
        guard changed == 1 else { throw CouponError.invalid(.alreadyRedeemed, detail: "Coupon \(couponID) was already used") }
        try db.run(
            "UPDATE campaigns SET redeemed = redeemed + 1, discount_granted_cents = discount_granted_cents + ? WHERE id = ?",
            amount, c.id
        )
        return amount
    }

    // MARK: - Reading

    public static func coupon(_ id: String, in db: Connection) throws -> Coupon? {
        try db.queryOne("\(couponSelect) WHERE k.id = ?", id).map(coupon(from:))
    }

    public static let couponSelect = """
        SELECT k.id, k.campaign_id, k.account_id, k.code, k.source, k.redeemed_order_id, k.created_at,
               CASE WHEN k.fixed_discount_cents IS NULL THEN c.discount_type ELSE 'fixed' END AS discount_type,
               COALESCE(k.fixed_discount_cents, c.discount_value) AS discount_value, c.min_spend_cents,
               CASE WHEN k.fixed_discount_cents IS NULL THEN c.max_discount_cents END AS max_discount_cents, c.valid_until,
               c.name AS campaign_name
        FROM coupons k JOIN campaigns c ON c.id = k.campaign_id
        """

    public static func coupon(from row: Row) -> Coupon {
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

    public static func campaign(from row: Row) -> Campaign {
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
