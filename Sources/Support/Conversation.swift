import Core

/// A service conversation (API.md §18), optionally bound to one of the customer's orders.
public struct Conversation: Sendable, Equatable {
    public enum Kind: String, Sendable { case support, feedback }
    public enum Status: String, Sendable { case open, resolved }

    public var id: String
    public var kind: Kind
    public var customerID: String
    public var customerName: String
    public var subject: String
    public var orderID: String?
    public var status: Status
    public var assigneeID: String?
    public var assigneeName: String?
    public var firstResponseDueAt: Int64
    public var firstResponseAt: Int64?
    public var escalated: Bool
    public var createdAt: Int64
    public var updatedAt: Int64
}

public struct ConversationMessage: Sendable, Equatable {
    public enum Role: String, Sendable { case customer, agent, system }

    public var id: String
    public var conversationID: String
    public var authorID: String
    public var authorName: String
    public var role: Role
    public var text: String
    public var createdAt: Int64
}

public enum SupportError: DomainError, Equatable {
    case conversationNotFound(String)
    case orderNotFound(String)
    case notAnAgent(String)
    case dailyGoodwillLimit(left: Int64)

    public var code: String {
        switch self {
        case .conversationNotFound, .orderNotFound: "not_found"
        case .notAnAgent: "invalid_request"
        case .dailyGoodwillLimit: "limit_reached"
        }
    }

    public var kind: ErrorKind {
        switch self {
        case .conversationNotFound, .orderNotFound: .notFound
        case .notAnAgent: .invalid
        case .dailyGoodwillLimit: .conflict
        }
    }

    public var detail: String {
        switch self {
        case let .conversationNotFound(id): "Conversation \(id) was not found"
        case let .orderNotFound(id): "Order \(id) was not found"
        case let .notAnAgent(id): "Account \(id) is not an agent"
        case let .dailyGoodwillLimit(left): "An agent grants at most 10000 cents of goodwill a day; \(left) are left today"
        }
    }

    public var fieldErrors: [FieldError] {
        switch self {
        case .orderNotFound: [FieldError(field: "order_id", message: "is not one of your orders")]
        case .notAnAgent: [FieldError(field: "account_id", message: "is not an agent")]
        default: []
        }
    }
}

/// The names Support appends to the event log.
public enum SupportEvent {
    /// On the recipient's account stream: the message with its `conversation_id` (API.md §13).
    public static let message = "conversation.message"
    /// On the customer's stream when a conversation is resolved: `{"conversation_id", "kind", "account_id"}`.
    public static let resolved = "conversation.resolved"
    static let slaJob = "conversation.sla"
}
