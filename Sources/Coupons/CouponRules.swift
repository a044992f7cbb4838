import Core

/// What a merchant asks for when creating a campaign, before validation (API.md §12 "Coupons and campaigns").
///
/// The API and the CLI both fill one in and hand it to ``CouponService``, so the rules live in one place.
public struct CampaignDraft: Sendable, Equatable {
    public var name: String
    public var discount: DiscountRule
    public var minSpendCents: Int64
    public var maxDiscountCents: Int64?
    public var validFrom: Int64
    public var validUntil: Int64
    public var maxCoupons: Int64
    public var perAccountLimit: Int64
    public var key: String?

    public init(
        name: String, discount: DiscountRule, minSpendCents: Int64 = 0, maxDiscountCents: Int64? = nil,
        validFrom: Int64, validUntil: Int64, maxCoupons: Int64, perAccountLimit: Int64 = 1, key: String? = nil
    ) {
        self.name = name
        self.discount = discount
        self.minSpendCents = minSpendCents
        self.maxDiscountCents = maxDiscountCents
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.maxCoupons = maxCoupons
        self.perAccountLimit = perAccountLimit
        self.key = key
    }
}

/// The pure rules of campaigns and claims; no I/O. Errors name the API's fields (`discount.value`).
public enum CouponRules {
    public static let nameLength = 1...100
    public static let percentRange: ClosedRange<Int64> = 1...100
    /// Same ceiling as product prices, which keeps every sum far from `Int64` overflow.
    public static let centsRange: ClosedRange<Int64> = 1...1_000_000_000
    public static let minSpendRange: ClosedRange<Int64> = 0...1_000_000_000
    public static let maxCouponsRange: ClosedRange<Int64> = 1...10_000_000
    public static let perAccountRange: ClosedRange<Int64> = 1...100
    public static let codeCountRange: ClosedRange<Int64> = 1...100_000
    public static let keyLength = 1...64

    /// Checks a draft and returns it normalised (name trimmed).
    ///
    /// - Throws: `400 invalid_request` naming the first offending field.
    public static func validated(_ draft: CampaignDraft) throws -> CampaignDraft {
        var draft = draft
        draft.name = draft.name.trimmedWhitespace
        guard nameLength.contains(draft.name.codePointCount) else {
            throw Failure.invalid("name", "must be \(nameLength.lowerBound)–\(nameLength.upperBound) characters")
        }
        switch draft.discount {
        case let .percent(p):
            guard percentRange.contains(p) else { throw Failure.invalid("discount.value", "must be a whole percent from 1 to 100") }
        case let .fixed(cents):
            guard centsRange.contains(cents) else {
                throw Failure.invalid("discount.value", "must be an amount in cents from 1 to \(centsRange.upperBound)")
            }
            if draft.maxDiscountCents != nil {
                throw Failure.invalid("max_discount_cents", "applies only to percent discounts")
            }
        }
        guard minSpendRange.contains(draft.minSpendCents) else {
            throw Failure.invalid("min_spend_cents", "must be from 0 to \(minSpendRange.upperBound)")
        }
        if let cap = draft.maxDiscountCents, !centsRange.contains(cap) {
            throw Failure.invalid("max_discount_cents", "must be from 1 to \(centsRange.upperBound)")
        }
        guard draft.validUntil > draft.validFrom else { throw Failure.invalid("valid_until", "must be after valid_from") }
        guard maxCouponsRange.contains(draft.maxCoupons) else {
            throw Failure.invalid("max_coupons", "must be from 1 to 10000000")
        }
        guard perAccountRange.contains(draft.perAccountLimit) else {
            throw Failure.invalid("per_account_limit", "must be from 1 to 100")
        }
        if let key = draft.key, !isValidKey(key) {
            throw Failure.invalid("key", "must be a slug of 1–64 characters a–z, 0–9, '-' and '_', starting with a letter or digit")
        }
        return draft
    }

    /// A campaign key: `[a-z0-9][a-z0-9_-]{0,63}`.
    public static func isValidKey(_ key: String) -> Bool {
        guard keyLength.contains(key.utf8.count), let first = key.utf8.first, isLowerAlphanumeric(first) else {
            return false
        }
        return key.utf8.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x7A).contains(byte)
    }

    /// A status change: an ended campaign stays ended.
    ///
    /// - Throws: `409 invalid_state` when reactivating or pausing an ended campaign.
    public static func checkTransition(from current: CampaignStatus, to next: CampaignStatus, campaignID: String) throws {
        if current == .ended && next != .ended {
            throw Failure.invalidState("Campaign \(campaignID) has ended; an ended campaign cannot be \(next == .active ? "resumed" : "paused")")
        }
    }

    /// A code as typed by a customer, in the stored form: white space trimmed, letters upper-cased (claims ignore
    /// letter case, API.md §12).
    public static func normalizedCode(_ text: String) -> String {
        String(decoding: text.trimmedWhitespace.utf8.map { (0x61...0x7A).contains($0) ? $0 - 0x20 : $0 }, as: UTF8.self)
    }
}
