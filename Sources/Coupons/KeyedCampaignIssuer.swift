import Core
import Storage

/// Issues coupons from keyed campaigns for sent inbox items (signals, goodwill, referrals): the campaign's budget and
/// validity hold as for any other coupon; a campaign that cannot issue leaves the item without one (API.md §24).
public struct KeyedCampaignIssuer: Sendable {
    let ids: IDGenerator

    public init(ids: IDGenerator) { self.ids = ids }

    public func issue(campaignKey: String, source: String, to accountID: String, now: Int64, in db: any Transaction) throws -> String? {
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

extension CouponService {
    /// A goodwill coupon of `amountCents` off from the campaign with key `goodwill` (API.md §18, §24): it counts
    /// against the campaign's budget and needs it active and valid, but not its per-account limit.
    ///
    /// - Throws: `409 invalid_state` without an active, valid `goodwill` campaign; `409 sold_out` out of budget.
    public static func grantGoodwill(
        amountCents: Int64, to accountID: String, id: String, now: Int64, in db: any Transaction
    ) throws -> Coupon {
        guard let campaign = try CouponEngine.campaign(key: "goodwill", in: db) else {
            throw Failure.invalidState("There is no campaign with the key goodwill")
        }
        if let rejection = CouponEngine.availability(of: campaign, at: now) {
            throw Failure.invalidState("The goodwill campaign is \(rejection.rawValue.replacingOccurrences(of: "_", with: " "))")
        }
        guard try CouponStore.takeFromBudget(campaign.id, in: db) else { throw CouponError.soldOut }
        try CouponStore.insertGoodwill(id, of: campaign.id, to: accountID, amountCents: amountCents, now: now, in: db)
        guard let coupon = try CouponEngine.coupon(id, in: db) else { throw CouponError.campaignNotFound(campaign.id) }
        return coupon
    }
}
