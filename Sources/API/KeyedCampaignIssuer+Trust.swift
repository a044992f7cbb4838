import Coupons
import Storage
import Trust

/// Trust's send path issues coupons through Coupons' keyed campaigns; neither module imports the other.
extension KeyedCampaignIssuer: CouponIssuing {
    public func issue(_ request: CouponRequest, to accountID: String, now: Int64, in db: any Transaction) throws -> String? {
        try issue(campaignKey: request.campaignKey, source: request.source, to: accountID, now: now, in: db)
    }
}
