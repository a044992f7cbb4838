import Core
import Storage

/// Issues coupons from keyed campaigns for sent inbox items (signals, goodwill, referrals): the campaign's budget and
/// validity hold as for any other coupon; a campaign that cannot issue leaves the item without one (API.md §24).
public struct KeyedCampaignIssuer: Sendable {
    let ids: IDGenerator

    public init(ids: IDGenerator) { self.ids = ids }

    public func issue(campaignKey: String, source: String, to accountID: String, now: Int64, in db: Connection) throws -> String? {
        guard let campaign = try CouponEngine.campaign(key: campaignKey, in: db),
              let source = CouponSource(rawValue: source)
        else { return nil }
        do {
            // A savepoint: a refused issue (paused, ended, sold out, over the per-account limit) changes nothing.
            return try db.savepoint {
                try CouponEngine.issue(campaignID: campaign.id, to: accountID, source: source, id: ids.next("cpn"), now: now, in: db).id
            }
        } catch is CouponError {
            return nil
        }
    }
}
