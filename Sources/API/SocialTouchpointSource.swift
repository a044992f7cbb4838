import Insights
import Payments
import Storage
import Teams

/// The `share` and `team` steps of an order's trail (API.md §21, §24), from the Teams module's seam: the share link
/// it was placed through, a referral's first order or referral coupon, the team whose completion placed it.
struct SocialTouchpointSource: TouchpointSource {
    func touchpoints(of order: Order, in db: any Transaction) throws -> [Touchpoint] {
        try SocialTouchpoint.of(orderID: order.id, couponID: order.couponID, in: db).compactMap { step in
            Touchpoint.Kind(rawValue: step.type).map { Touchpoint(type: $0, id: step.id, at: step.at) }
        }
    }
}
