import Core

/// How a campaign discounts: a whole percent (1–100) or a fixed amount in cents.
public enum DiscountRule: Sendable, Equatable {
    case percent(Int64)
    case fixed(Int64)

    public var type: String {
        switch self {
        case .percent: "percent"
        case .fixed: "fixed"
        }
    }

    public var value: Int64 {
        switch self {
        case let .percent(v), let .fixed(v): v
        }
    }
}

public enum CampaignStatus: String, Sendable, CaseIterable {
    case active, paused, ended
}

/// A budgeted coupon campaign (API.md §7).
public struct Campaign: Sendable, Equatable {
    public var id: String
    public var key: String?
    public var name: String
    public var discount: DiscountRule
    public var minSpendCents: Int64
    public var maxDiscountCents: Int64?
    public var validFrom: Int64
    public var validUntil: Int64
    public var maxCoupons: Int64
    public var perAccountLimit: Int64
    public var status: CampaignStatus
    /// Coupons handed out to accounts.
    public var issued: Int64
    /// Budget set aside for live coupon drops and not yet claimed.
    public var reserved: Int64
    public var redeemed: Int64
    public var discountGrantedCents: Int64
    public var createdAt: Int64

    /// Coupons that may still be issued or reserved.
    public var remainingBudget: Int64 { max(0, maxCoupons - issued - reserved) }

    public init(
        id: String, key: String?, name: String, discount: DiscountRule, minSpendCents: Int64,
        maxDiscountCents: Int64?, validFrom: Int64, validUntil: Int64, maxCoupons: Int64, perAccountLimit: Int64,
        status: CampaignStatus, issued: Int64 = 0, reserved: Int64 = 0, redeemed: Int64 = 0,
        discountGrantedCents: Int64 = 0, createdAt: Int64
    ) {
        self.id = id
        self.key = key
        self.name = name
        self.discount = discount
        self.minSpendCents = minSpendCents
        self.maxDiscountCents = maxDiscountCents
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.maxCoupons = maxCoupons
        self.perAccountLimit = perAccountLimit
        self.status = status
        self.issued = issued
        self.reserved = reserved
        self.redeemed = redeemed
        self.discountGrantedCents = discountGrantedCents
        self.createdAt = createdAt
    }
}

/// Where a coupon came from.
public enum CouponSource: String, Sendable, CaseIterable {
    case code, game, liveDrop = "live_drop", grant
    /// Added in API.md §13: signals, referrals and agents' goodwill.
    case signal, referral, goodwill
}

/// A coupon owned by one account; discount terms come from its campaign.
public struct Coupon: Sendable, Equatable {
    public var id: String
    public var campaignID: String
    public var accountID: String
    public var code: String?
    /// `available` or `redeemed` as stored; `expired` is computed when read (API.md §12).
    public var redeemed: Bool
    public var discount: DiscountRule
    public var minSpendCents: Int64
    public var maxDiscountCents: Int64?
    public var validUntil: Int64
    public var source: CouponSource
    public var redeemedOrderID: String?
    public var createdAt: Int64
    /// The campaign's name, so a coupon list can say what a coupon is (an addition to API.md §7).
    public var campaignName: String = ""

    public func status(at now: Int64) -> String {
        if redeemed { return "redeemed" }
        return now > validUntil ? "expired" : "available"
    }

    public init(
        id: String, campaignID: String, accountID: String, code: String?, redeemed: Bool, discount: DiscountRule,
        minSpendCents: Int64, maxDiscountCents: Int64?, validUntil: Int64, source: CouponSource,
        redeemedOrderID: String?, createdAt: Int64
    ) {
        self.id = id
        self.campaignID = campaignID
        self.accountID = accountID
        self.code = code
        self.redeemed = redeemed
        self.discount = discount
        self.minSpendCents = minSpendCents
        self.maxDiscountCents = maxDiscountCents
        self.validUntil = validUntil
        self.source = source
        self.redeemedOrderID = redeemedOrderID
        self.createdAt = createdAt
    }
}
