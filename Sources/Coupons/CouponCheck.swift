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

    public static func run(in db: any Transaction) throws -> Report {
        try CouponStore.invariantBreaches(in: db)
    }
}
