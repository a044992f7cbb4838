import Storage

/// One step of an order's attribution trail (API.md §21) that this module knows: a `share` or a `team`, at its
/// object's `created_at` (API.md §24).
public struct SocialTouchpoint: Sendable, Equatable {
    /// `share` or `team`, as API.md §21 names the types.
    public var type: String
    public var id: String
    public var at: Int64

    public init(type: String, id: String, at: Int64) {
        (self.type, self.id, self.at) = (type, id, at)
    }

    /// The seam for attribution (`GET /v1/orders/{id}/attribution`): an order's share and team touchpoints inside
    /// the caller's (read) transaction, oldest first, none twice:
    /// - `share`: the share whose `share_code` the order was placed with; for an account that signed up with a
    ///   referral code, its referral share on its first order; the referral share of a referral coupon the order
    ///   was paid with;
    /// - `team`: the team whose completion placed the order.
    ///
    /// - Parameters:
    ///   - orderID: the order.
    ///   - couponID: the order's `coupon_id`, if any.
    /// - Returns: an empty list for an order without any of them.
    public static func of(orderID: String, couponID: String?, in db: any Transaction) throws -> [SocialTouchpoint] {
        var shareIDs: [String] = []
        if let id = try ShareStore.shareID(ofOrder: orderID, in: db) { shareIDs.append(id) }
        if let id = try ReferralStore.shareID(ofFirstOrder: orderID, in: db) { shareIDs.append(id) }
        if let couponID, let id = try ReferralStore.shareID(ofCoupon: couponID, in: db) { shareIDs.append(id) }
        var found: [SocialTouchpoint] = []
        for id in Set(shareIDs) {
            if let share = try ShareStore.share(id: id, in: db) {
                found.append(SocialTouchpoint(type: "share", id: id, at: share.createdAt))
            }
        }
        if let team = try TeamStore.team(paying: orderID, in: db) {
            found.append(SocialTouchpoint(type: "team", id: team.id, at: team.createdAt))
        }
        return found.sorted { ($0.at, $0.type, $0.id) < ($1.at, $1.type, $1.id) }
    }
}
