import Core
import Storage

/// The one way coupons are issued and redeemed, by every source (codes, games, live drops, grants).
///
/// All functions run inside the caller's write transaction. SQLite has a single writer, so a check followed by an
/// update in one `BEGIN IMMEDIATE` transaction cannot interleave with another; the `CHECK (issued + reserved <=
/// max_coupons)` constraint and the guarded UPDATEs are a second line of defence.
public enum CouponEngine {
    // MARK: - Campaigns

    public static func campaign(_ id: String, in db: any Transaction) throws -> Campaign? {
        try CouponStore.campaign(id, in: db)
    }

    public static func campaign(key: String, in db: any Transaction) throws -> Campaign? {
        try CouponStore.campaign(key: key, in: db)
    }

    public static func insert(_ c: Campaign, in db: any Transaction) throws {
        try CouponStore.insert(c, in: db)
    }

    /// Why a campaign cannot hand out or honour coupons at `now`, if it cannot.
    /// Coupons of the campaign the account holds, redeemed or not (what its per-account limit counts).
    public static func couponCount(of campaignID: String, heldBy accountID: String, in db: any Transaction) throws -> Int64 {
        try CouponStore.couponCount(of: campaignID, heldBy: accountID, in: db)
    }

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
        fromReservation: Bool = false, id: String, now: Int64, in db: any Transaction
    ) throws -> Coupon {
        guard let c = try campaign(campaignID, in: db) else { throw CouponError.campaignNotFound(campaignID) }
        if let rejection = availability(of: c, at: now) {
            throw CouponError.invalid(rejection, detail: "Campaign \(c.id) is \(rejection.rawValue.replacingOccurrences(of: "_", with: " "))")
        }
        // The count holds until the insert below only while no other writer issues to the account.
        try db.lockOwner(in: "accounts", key: accountID)
        let held = try CouponStore.couponCount(of: campaignID, heldBy: accountID, in: db)
        guard held < c.perAccountLimit else { throw CouponError.limitReached }
        guard try CouponStore.takeFromBudget(campaignID, fromReservation: fromReservation, in: db) else {
            throw CouponError.soldOut
        }
        var coupon = Coupon(
            id: id, campaignID: c.id, accountID: accountID, code: code, redeemed: false, discount: c.discount,
            minSpendCents: c.minSpendCents, maxDiscountCents: c.maxDiscountCents, validUntil: c.validUntil,
            source: source, redeemedOrderID: nil, createdAt: now
        )
        coupon.campaignName = c.name
        try CouponStore.insert(coupon, in: db)
        return coupon
    }

    /// Sets `quantity` coupons of the budget aside (a live coupon drop), or throws `sold_out`.
    public static func reserve(campaignID: String, quantity: Int64, now: Int64, in db: any Transaction) throws {
        guard let c = try campaign(campaignID, in: db) else { throw CouponError.campaignNotFound(campaignID) }
        if let rejection = availability(of: c, at: now) {
            throw CouponError.invalid(rejection, detail: "Campaign \(c.id) is \(rejection.rawValue)")
        }
        guard try CouponStore.reserve(quantity, of: campaignID, in: db) else { throw CouponError.soldOut }
    }

    /// Gives reserved but unclaimed budget back (a drop that ended with coupons left).
    public static func release(campaignID: String, quantity: Int64, in db: any Transaction) throws {
        try CouponStore.release(quantity, of: campaignID, in: db)
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
        couponID: String, accountID: String, subtotalCents: Int64, orderID: String, now: Int64, in db: any Transaction
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
        guard try CouponStore.redeem(couponID, of: c.id, order: orderID, discountCents: amount, now: now, in: db) else {
            throw CouponError.invalid(.alreadyRedeemed, detail: "Coupon \(couponID) was already used")
        }
        return amount
    }

    // MARK: - Reading

    public static func coupon(_ id: String, in db: any Transaction) throws -> Coupon? {
        try CouponStore.coupon(id, in: db)
    }
}
