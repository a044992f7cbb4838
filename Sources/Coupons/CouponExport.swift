import Core
import Storage

extension CouponService {
    /// Every coupon of an account, newest first (its data export, API.md §16).
    public static func coupons(of accountID: String, in db: Connection) throws -> [Coupon] {
        try db.query("\(CouponEngine.couponSelect) WHERE k.account_id = ? ORDER BY k.created_at DESC, k.id DESC", accountID)
            .map(CouponEngine.coupon(from:))
    }
}
