import Core

/// The errors of team buys, shares and referrals (API.md §20, §24).
public enum TeamError: DomainError, Equatable {
    case dealNotFound(String)
    case teamNotFound(String)
    case shareNotFound(String)
    /// A share's target, a deal's product: `404` naming the request field.
    case notFound(field: String, what: String)
    /// The deal was switched off (or its product deactivated): no new teams.
    case dealInactive(String)
    case alreadyJoined(String)
    /// The team is full, completed, failed or past its window.
    case teamClosed(String)

    public var code: String {
        switch self {
        case .dealNotFound, .teamNotFound, .shareNotFound, .notFound: "not_found"
        case .dealInactive: "invalid_state"
        case .alreadyJoined: "already_joined"
        case .teamClosed: "sold_out"
        }
    }

    public var kind: ErrorKind {
        switch self {
        case .dealNotFound, .teamNotFound, .shareNotFound, .notFound: .notFound
        case .dealInactive, .alreadyJoined, .teamClosed: .conflict
        }
    }

    public var detail: String {
        switch self {
        case let .dealNotFound(id): "Team deal \(id) was not found"
        case let .teamNotFound(id): "Team \(id) was not found"
        case let .shareNotFound(code): "Share \(code) was not found"
        case let .notFound(_, what): "\(what) was not found"
        case let .dealInactive(id): "Team deal \(id) is not active: it opens no new teams"
        case let .alreadyJoined(id): "You are already a member of team \(id)"
        case let .teamClosed(id): "Team \(id) is full or no longer forming"
        }
    }

    public var fieldErrors: [FieldError] {
        if case let .notFound(field, _) = self { return [FieldError(field: field, message: "does not exist")] }
        return []
    }
}
