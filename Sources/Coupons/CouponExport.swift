import Core
import Storage

extension CouponService {
    /// Every coupon of an account, newest first (its data export, API.md §16).
    public static func coupons(of accountID: String, in db: any Transaction) throws -> [Coupon] {
        try CouponStore.allCoupons(of: accountID, in: db)
    }
}
