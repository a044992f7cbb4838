import Core
import Foundation
import Payments
import Storage
import Trust

/// Referrals (API.md §20, §24): an account that signed up with a share code is decided by its first order — at least
/// 1000 cents after discounts rewards the sharer and the new account with a coupon of the `referral` campaign each,
/// at most 10 rewarded referrals per sharer per calendar month in the deployment's time zone; a smaller first order
/// earns nothing, later orders never do, and a refund takes nothing back.
///
/// It is Payments' placement hook, so every order — checkout, completed team, won auction — is seen in its own
/// transaction.
public struct ReferralProgram: OrderPlacementHook {
    public static let minimumOrderCents: Int64 = 1000
    public static let monthlyCap: Int64 = 10
    public static let campaignKey = "referral"
    public static let rule = "referral_reward"

    private let ids: IDGenerator
    private let coupons: (any CouponIssuing)?

    /// - Parameter coupons: issues the rewards' coupons from the keyed campaign when their items are sent.
    public init(ids: IDGenerator, coupons: (any CouponIssuing)?) {
        self.ids = ids
        self.coupons = coupons
    }

    /// Records a sign-up with a referral code inside the sign-up's transaction.
    /// - Throws: `400` naming `referral_code` when no share has it.
    public static func signUp(_ accountID: String, referralCode code: String, now: Int64, in db: any Transaction) throws {
        guard let share = try ShareStore.share(code: ShareService.normalize(code), in: db) else {
            throw Failure.invalid("referral_code", "is not a known share code")
        }
        try ReferralStore.insert(account: accountID, share: share, now: now, in: db)
    }

    public func shareID(forCode code: String, in db: any Transaction) throws -> String {
        guard let share = try ShareStore.share(code: ShareService.normalize(code), in: db) else {
            throw Failure.invalid("share_code", "is not a known share code")
        }
        return share.id
    }

    public func orderPlaced(_ order: Order, shareID: String?, now: Int64, in db: any Transaction) throws {
        if let shareID { try ShareStore.recordOrder(order.id, share: shareID, now: now, in: db) }
        guard let referral = try ReferralStore.pending(order.accountID, in: db) else { return }
        let qualifies = order.totalCents >= Self.minimumOrderCents
        guard try ReferralStore.decide(
            order.accountID, firstOrder: order.id, reason: qualifies ? "monthly_cap" : "below_minimum", now: now, in: db
        ), qualifies else { return }
        // Past the cap neither side is rewarded (API.md §24); the row keeps the reason.
        guard try ReferralStore.takeMonthlySlot(of: referral.sharerID, month: Self.month(of: now), cap: Self.monthlyCap, in: db)
        else { return }
        try ReferralStore.reward(order.accountID, in: db)
        try send(to: referral.sharerID, sharer: true, share: referral.shareID, now: now, in: db)
        try send(to: order.accountID, sharer: false, share: referral.shareID, now: now, in: db)
    }

    /// A reward item (category `social`) with its coupon; the coupon is linked to the share for attribution.
    private func send(to accountID: String, sharer: Bool, share shareID: String, now: Int64, in db: any Transaction) throws {
        var message = OutgoingMessage(
            accountID: accountID, category: .social, rule: Self.rule,
            title: sharer
                ? LocalizedText(en: "Thanks for bringing a friend", de: "Danke, dass Sie jemanden mitgebracht haben")
                : LocalizedText(en: "A welcome gift for your first order", de: "Ein Willkommensgeschenk zu Ihrer ersten Bestellung"),
            body: sharer
                ? LocalizedText(
                    en: "Someone you invited placed their first order. Here is a coupon for you.",
                    de: "Jemand, den Sie eingeladen haben, hat zum ersten Mal bestellt. Hier ist ein Gutschein für Sie."
                )
                : LocalizedText(
                    en: "You came through a friend's link. Here is a coupon for your next order.",
                    de: "Sie kamen über den Link eines Freundes. Hier ist ein Gutschein für Ihre nächste Bestellung."
                ),
            link: "/v1/coupons", data: ["share_id": .string(shareID)]
        )
        message.coupon = CouponRequest(campaignKey: Self.campaignKey, source: "referral")
        if case let .sent(item) = try SendPath.send(message, ids: ids, coupons: coupons, now: now, in: db),
           let couponID = item.data["coupon_id"]?.stringValue
        {
            try ReferralStore.linkCoupon(couponID, to: shareID, in: db)
        }
    }

    /// The calendar month of a moment in the deployment's time zone, `YYYY-MM`.
    static func month(of epochSeconds: Int64) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = CalendarDay.timeZone
        let parts = calendar.dateComponents([.year, .month], from: Date(timeIntervalSince1970: TimeInterval(epochSeconds)))
        let month = parts.month ?? 1
        return "\(parts.year ?? 1970)-\(month < 10 ? "0" : "")\(month)"
    }
}
