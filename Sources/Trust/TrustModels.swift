import Core
import Storage

/// What an inbox item is about; `order`, `shipment`, `support` and `security` always go through (API.md §16).
public enum InboxCategory: String, Sendable, CaseIterable {
    case order, shipment, offer, live, social, feedback, support, security

    /// Transactional items: the customer must hear of them whatever the settings say.
    public var isTransactional: Bool { [.order, .shipment, .support, .security].contains(self) }
}

/// Why an item was sent: the rule that produced it and the consent record it relied on.
public struct SendReason: Sendable, Equatable {
    public var rule: String
    public var consentID: String?
}

/// A text in both languages of the deployment; the API picks one by `Accept-Language`.
public struct LocalizedText: Sendable, Equatable {
    public var en: String
    public var de: String

    public init(en: String, de: String) {
        self.en = en
        self.de = de
    }

    public func text(german: Bool) -> String { german ? de : en }
}

public struct InboxItem: Sendable, Equatable {
    public var id: String
    public var accountID: String
    public var category: InboxCategory
    public var title: LocalizedText
    public var body: LocalizedText
    public var link: String?
    public var data: JSON
    public var read: Bool
    public var reason: SendReason
    public var createdAt: Int64

    /// The API's InboxItem (API.md §16), also carried by `inbox.created` on the account's event stream.
    public func json(german: Bool) -> JSON {
        [
            "id": .string(id), "category": .string(category.rawValue), "title": .string(title.text(german: german)),
            "body": .string(body.text(german: german)), "link": JSON(link), "data": data, "read": .bool(read),
            "reason": ["rule": .string(reason.rule), "consent_id": JSON(reason.consentID)],
            "created_at": .string(Timestamp.format(epochSeconds: createdAt)),
        ]
    }
}

/// A coupon to attach when the item is sent: issued from the campaign with this key, when that campaign can issue.
public struct CouponRequest: Sendable, Equatable {
    public var campaignKey: String
    /// `signal`, `goodwill` or `referral` (API.md §13).
    public var source: String

    public init(campaignKey: String, source: String) {
        self.campaignKey = campaignKey
        self.source = source
    }
}

/// Issues the coupon of a sent item inside the send's transaction; Coupons implements it, App wires it (Trust sits
/// below Coupons). - Returns: the coupon id, or nil when the campaign is missing, paused, ended or out of budget.
public protocol CouponIssuing: Sendable {
    func issue(_ request: CouponRequest, to accountID: String, now: Int64, in db: any Transaction) throws -> String?
}

/// What a producer hands the send path.
public struct OutgoingMessage: Sendable, Equatable {
    public var coupon: CouponRequest?
    public var accountID: String
    public var category: InboxCategory
    public var rule: String
    public var title: LocalizedText
    public var body: LocalizedText
    public var link: String?
    public var data: JSON

    public init(
        accountID: String, category: InboxCategory, rule: String, title: LocalizedText, body: LocalizedText,
        link: String? = nil, data: JSON = [:]
    ) {
        (self.accountID, self.category, self.rule, self.title, self.body, self.link, self.data) =
            (accountID, category, rule, title, body, link, data)
    }
}

/// What the send path decided.
public enum SendOutcome: Sendable, Equatable {
    case sent(InboxItem)
    /// An offer inside quiet hours: it waits until they end, then is decided again.
    case waiting(until: Int64)
    case suppressed(Suppression)
}

/// Why an item was not sent; the signal counters of API.md §17 count these.
public enum Suppression: String, Sendable, CaseIterable {
    case noConsent = "no_consent"
    case settingOff = "setting_off"
    case cap
    case holdout
}

/// A customer's notification settings (API.md §16) with their defaults.
public struct NotificationSettings: Sendable, Equatable {
    public var live = true
    public var social = true
    public var feedback = true
    /// Minutes after midnight; nil turns quiet hours off.
    public var quietHours: (start: Int, end: Int)? = (22 * 60, 8 * 60)
    public var timeZone = "Europe/Berlin"
    public var maxOffersPerWeek = 3

    public init() {}

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.live == rhs.live && lhs.social == rhs.social && lhs.feedback == rhs.feedback
            && lhs.quietHours?.start == rhs.quietHours?.start && lhs.quietHours?.end == rhs.quietHours?.end
            && lhs.timeZone == rhs.timeZone && lhs.maxOffersPerWeek == rhs.maxOffersPerWeek
    }

    /// Whether a category the customer controls is switched on.
    public func allows(_ category: InboxCategory) -> Bool {
        switch category {
        case .live: live
        case .social: social
        case .feedback: feedback
        default: true
        }
    }
}

/// The purposes an account may consent to (API.md §16); none is granted until the account grants it.
public enum ConsentPurpose: String, Sendable, CaseIterable {
    case marketing, personalization, analytics
}

/// One appended consent record: the proof of what the account agreed to, and when.
public struct ConsentRecord: Sendable, Equatable {
    public var id: String
    public var accountID: String
    public var purpose: ConsentPurpose
    public var granted: Bool
    public var noticeVersion: String?
    public var createdAt: Int64
}

/// A privacy notice of one purpose, in both languages (`Content/privacy/`).
public struct PrivacyNotice: Sendable, Equatable {
    public var purpose: ConsentPurpose
    public var version: String
    public var title: LocalizedText
    public var text: LocalizedText
}
