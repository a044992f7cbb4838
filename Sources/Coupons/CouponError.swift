import Core

/// Why a coupon cannot be used, the `reason` of `422 coupon_invalid` (API.md §6, §12).
public enum CouponRejection: String, Sendable, Equatable {
    case expired, notYetValid = "not_yet_valid", alreadyRedeemed = "already_redeemed"
    case minSpendNotMet = "min_spend_not_met", notOwner = "not_owner", paused, ended
}

public enum CouponError: DomainError, Equatable {
    case campaignNotFound(String)
    case codeNotFound
    case invalid(CouponRejection, detail: String)
    case alreadyClaimed
    case limitReached
    case soldOut
    case keyTaken(String)

    public var code: String {
        switch self {
        case .campaignNotFound, .codeNotFound: "not_found"
        case .invalid: "coupon_invalid"
        case .alreadyClaimed: "already_claimed"
        case .limitReached: "limit_reached"
        case .soldOut: "sold_out"
        case .keyTaken: "key_taken"
        }
    }

    public var kind: ErrorKind {
        switch self {
        case .campaignNotFound, .codeNotFound: .notFound
        case .invalid: .unprocessable
        case .alreadyClaimed, .limitReached, .soldOut, .keyTaken: .conflict
        }
    }

    public var detail: String {
        switch self {
        case let .campaignNotFound(id): "Campaign \(id) was not found"
        case .codeNotFound: "No coupon has this code"
        case let .invalid(_, detail): detail
        case .alreadyClaimed: "This coupon was already claimed"
        case .limitReached: "You already hold as many coupons of this campaign as allowed"
        case .soldOut: "No coupons are left in this campaign"
        case let .keyTaken(key): "Another campaign already has the key \(key)"
        }
    }

    public var extensions: [(String, String)] {
        if case let .invalid(reason, _) = self { [("reason", reason.rawValue)] } else { [] }
    }
}
