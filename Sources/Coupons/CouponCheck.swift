import Storage

/// The coupon invariants `basar check` verifies, recomputed from the rows.
public enum CouponCheck {
    public struct Report: Sendable {
        /// Coupons paid for by more than one order.
        public var redeemedTwice: Int64
        /// Campaigns whose issued and reserved coupons exceed `max_coupons`.
        public var overBudget: Int64
        /// Campaigns whose `issued` or `redeemed` counters disagree with their coupons.
        public var miscounted: Int64
    }

    public static func run(in db: Connection) throws -> Report {
        let redeemedTwice = try db.scalar(
            "SELECT COUNT(*) FROM (SELECT coupon_id FROM orders WHERE coupon_id IS NOT NULL GROUP BY coupon_id HAVING COUNT(*) > 1)"
        ) ?? 0
        let overBudget = try db.scalar("SELECT COUNT(*) FROM campaigns WHERE issued + reserved > max_coupons") ?? 0
        let miscounted = try db.scalar(
            """
            SELECT COUNT(*) FROM campaigns c WHERE c.issued <> (SELECT COUNT(*) FROM coupons k WHERE k.campaign_id = c.id)
               OR c.redeemed <> (SELECT COUNT(*) FROM coupons k WHERE k.campaign_id = c.id AND k.redeemed_order_id IS NOT NULL)
            """
        ) ?? 0
        return Report(redeemedTwice: redeemedTwice, overBudget: overBudget, miscounted: miscounted)
    }
}
