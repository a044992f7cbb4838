import Core

public struct Community: Sendable, Equatable {
    public var id: String
    public var name: String
    public var description: String
    public var ownerID: String
    public var ownerName: String
    public var memberCount: Int64
    public var createdAt: Int64
}

public struct CommunityMessage: Sendable, Equatable {
    public var id: String
    public var communityID: String
    public var accountID: String
    public var displayName: String
    public var text: String
    public var createdAt: Int64

    /// The shape of §9's chat messages (API.md §24); also the data of `message.created`.
    public var json: JSON {
        [
            "id": .string(id), "account_id": .string(accountID), "display_name": .string(displayName),
            "text": .string(text), "created_at": .string(Timestamp.format(epochSeconds: createdAt)),
        ]
    }
}

public struct RedPacket: Sendable, Equatable {
    public var id: String
    public var senderID: String
    public var senderName: String
    public var communityID: String
    public var totalCents: Int64
    public var count: Int64
    public var claimedCount: Int64
    public var message: String?
    public var seedHash: String
    /// Revealed once every share is claimed or the packet expired.
    public var seed: String?
    public var shares: [Int64]?
    public var expiresAt: Int64
    public var createdAt: Int64
}

public enum CommunityError: DomainError, Equatable {
    case notFound(String, field: String?)
    /// The account a moderator names (`account_id`).
    case accountNotFound(String)
    case packetNotFound(String)
    case notMember
    case muted
    case alreadyJoined
    case full
    case ownerCannotLeave
    case messageNotFound(String)
    case alreadyClaimed
    case soldOut
    case expired

    public var code: String {
        switch self {
        case .notFound, .packetNotFound, .messageNotFound, .accountNotFound: "not_found"
        case .notMember, .muted: "forbidden"
        case .alreadyJoined: "already_joined"
        case .full: "limit_reached"
        case .ownerCannotLeave: "invalid_state"
        case .alreadyClaimed: "already_claimed"
        case .soldOut: "sold_out"
        case .expired: "expired"
        }
    }

    public var kind: ErrorKind {
        switch self {
        case .notFound, .packetNotFound, .messageNotFound, .accountNotFound: .notFound
        case .notMember, .muted: .forbidden
        case .alreadyJoined, .full, .ownerCannotLeave, .alreadyClaimed, .soldOut: .conflict
        case .expired: .unprocessable
        }
    }

    public var detail: String {
        switch self {
        case let .notFound(id, _): "Community \(id) was not found"
        case let .accountNotFound(id): "Account \(id) was not found"
        case let .packetNotFound(id): "Red packet \(id) was not found"
        case .notMember: "Only members of this community may do this"
        case .muted: "You are muted in this community"
        case .alreadyJoined: "You are a member already"
        case .full: "This community has 500 members, its limit"
        case .ownerCannotLeave: "The owner cannot leave their community"
        case let .messageNotFound(id): "Message \(id) was not found"
        case .alreadyClaimed: "You claimed a share of this red packet already"
        case .soldOut: "Every share of this red packet is claimed"
        case .expired: "This red packet has expired"
        }
    }

    public var fieldErrors: [FieldError] {
        switch self {
        case let .notFound(_, field?): [FieldError(field: field, message: "does not exist")]
        case .accountNotFound: [FieldError(field: "account_id", message: "does not exist")]
        default: []
        }
    }
}

/// Events on a community's stream (`community:<id>` in the log, `GET /v1/communities/{id}/events`).
public enum CommunityEvent {
    public static let messageCreated = "message.created"
    public static let messageDeleted = "message.deleted"
    public static let packetCreated = "red_packet.created"
    public static let packetClaimed = "red_packet.claimed"
    public static let liveStarted = "live.started"

    public static func stream(_ communityID: String) -> String { "community:" + communityID }
}
