import Core

/// The failures of live shopping; codes and kinds follow API.md §1 and §12.
public enum LiveError: DomainError, Equatable {
    case sessionNotFound(String)
    case pinNotFound(String)
    case messageNotFound(String)
    case dropNotFound(String)
    case accountNotFound(String)
    /// The product a pin names (`product_id`), or the campaign a drop names (`campaign_id`).
    case productNotFound(String)
    case campaignNotFound(String)
    /// Someone else's session (start, end, pins, drops, stats, moderation).
    case notHost
    /// The host bidding on an auction of its own session.
    case hostBid
    case muted
    case invalidState(String)
    /// Flash units or dropped coupons are gone.
    case soldOut(String)
    case alreadyClaimed
    /// A bid below the minimum, which the problem names in `minimum_cents` (API.md §22).
    case bidTooLow(minimum: Int64, String)

    public var code: String {
        switch self {
        case .sessionNotFound, .pinNotFound, .messageNotFound, .dropNotFound, .accountNotFound, .productNotFound, .campaignNotFound: "not_found"
        case .notHost, .hostBid, .muted: "forbidden"
        case .invalidState: "invalid_state"
        case .soldOut: "sold_out"
        case .alreadyClaimed: "already_claimed"
        case .bidTooLow: "bid_too_low"
        }
    }

    public var kind: ErrorKind {
        switch self {
        case .sessionNotFound, .pinNotFound, .messageNotFound, .dropNotFound, .accountNotFound, .productNotFound, .campaignNotFound: .notFound
        case .notHost, .hostBid, .muted: .forbidden
        case .invalidState, .soldOut, .alreadyClaimed, .bidTooLow: .conflict
        }
    }

    public var detail: String {
        switch self {
        case let .sessionNotFound(id): "Live session \(id) was not found"
        case let .pinNotFound(id): "Pin \(id) was not found"
        case let .messageNotFound(id): "Message \(id) was not found"
        case let .dropNotFound(id): "Coupon drop \(id) was not found"
        case let .accountNotFound(id): "Account \(id) was not found"
        case let .productNotFound(id): "Product \(id) was not found"
        case let .campaignNotFound(id): "Campaign \(id) was not found"
        case .notHost: "Only the host of this session may do this"
        case .hostBid: "The host may not bid on an auction of their own session"
        case .muted: "You are muted in this session"
        case let .invalidState(detail): detail
        case let .soldOut(detail): detail
        case .alreadyClaimed: "You already claimed a coupon of this drop"
        case let .bidTooLow(_, detail): detail
        }
    }

    public var fieldErrors: [FieldError] {
        switch self {
        case .accountNotFound: [FieldError(field: "account_id", message: "does not exist")]
        case .productNotFound: [FieldError(field: "product_id", message: "does not exist")]
        case .campaignNotFound: [FieldError(field: "campaign_id", message: "does not exist")]
        default: []
        }
    }

    public var jsonExtensions: [(String, JSON)] {
        if case let .bidTooLow(minimum, _) = self { [("minimum_cents", .int(minimum))] } else { [] }
    }

}
