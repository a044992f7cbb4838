import Accounts
import Core
import Coupons
import Payments
import Storage
import Trust

/// Service conversations (API.md §18): a dialogue bound to the customer's order, assigned round robin, with a first
/// response promised within 24 h (support) or 48 h (feedback) and escalated to admins when it is not kept.
public final class ConversationService: Sendable {
    public static let responseHours: [Conversation.Kind: Int64] = [.support: 24, .feedback: 48]
    public static let goodwillPerAgentPerDay: Int64 = 10_000

    private let database: Database
    private let clock: any WallClock
    private let ids: IDGenerator

    public init(database: Database, clock: any WallClock, ids: IDGenerator) {
        self.database = database
        self.clock = clock
        self.ids = ids
    }

    public static var migration: Migration { SupportStore.migration }

    /// Opens a support conversation. - Throws: `404` naming `order_id` for an order that is not the caller's.
    public func open(subject: String, text: String, orderID: String?, by customer: Principal) async throws -> Conversation {
        let now = clock.now().epochSeconds
        let ids = self.ids
        return try await database.write { db in
            if let orderID {
                guard let order = try OrderStore.order(orderID, in: db), order.accountID == customer.accountID else {
                    throw SupportError.orderNotFound(orderID)
                }
            }
            return try Self.open(.support, customer: customer.accountID, subject: subject, text: text, orderID: orderID, ids: ids, now: now, in: db)
        }
    }

    /// Opens a conversation inside the caller's transaction (a detractor's feedback case, API.md §19).
    public static func open(
        _ kind: Conversation.Kind, customer: String, subject: String, text: String, orderID: String?, ids: IDGenerator,
        now: Int64, in db: any Transaction
    ) throws -> Conversation {
        let id = ids.next("cnv")
        let due = now + (responseHours[kind] ?? 24) * 3600
        try SupportStore.insert(Conversation(
            id: id, kind: kind, customerID: customer, customerName: "", subject: subject, orderID: orderID, status: .open,
            assigneeID: try SupportStore.nextAgent(in: db), assigneeName: nil, firstResponseDueAt: due, firstResponseAt: nil,
            escalated: false, createdAt: now, updatedAt: now
        ), in: db)
        try Scheduler.schedule(SupportEvent.slaJob, key: id, at: due, in: db)
        let conversation = try SupportStore.conversation(id, in: db)!
        _ = try post(text, to: conversation, author: customer, role: .customer, ids: ids, now: now, in: db)
        return try SupportStore.conversation(id, in: db)!
    }

    // MARK: - Reading

    /// - Throws: `404` unless the caller is its customer, an agent or an admin.
    public func conversation(_ id: String, for caller: Principal) async throws -> Conversation {
        try await database.read { db in try Self.visible(id, to: caller, in: db) }
    }

    /// A customer's own; agents and admins see every conversation unless filtered.
    public func list(for caller: Principal, status: String?, assignee: String?, page: PageRequest) async throws -> Page<Conversation> {
        let staff = caller.has(.agent)
        let filter: String?? = switch assignee {
        case "me"?: .some(caller.accountID)
        case "none"?: .some(nil)
        default: nil
        }
        return try await database.read { db in
            try SupportStore.list(
                customer: staff ? nil : caller.accountID, status: status, assignee: staff ? filter : nil, page: page, in: db
            )
        }
    }

    /// Oldest first, `limit` after the cursor (a message's position).
    public func messages(of id: String, for caller: Principal, after: Int64, limit: Int) async throws -> [(Int64, ConversationMessage)] {
        try await database.read { db in
            _ = try Self.visible(id, to: caller, in: db)
            return try SupportStore.messages(of: id, after: after, limit: limit, in: db)
        }
    }

    // MARK: - Writing

    /// Writes a message; writing to a resolved conversation reopens it. The other side hears of it on its event
    /// stream and as a `support` inbox item.
    public func write(_ text: String, to id: String, by caller: Principal) async throws -> ConversationMessage {
        let now = clock.now().epochSeconds
        let ids = self.ids
        return try await database.write { db in
            let conversation = try Self.visible(id, to: caller, in: db)
            let role: ConversationMessage.Role = caller.accountID == conversation.customerID ? .customer : .agent
            return try Self.post(text, to: conversation, author: caller.accountID, role: role, ids: ids, now: now, in: db)
        }
    }

    public func resolve(_ id: String, by caller: Principal) async throws -> Conversation {
        let now = clock.now().epochSeconds
        return try await database.write { db in
            let conversation = try Self.visible(id, to: caller, in: db)
            // Resolving twice answers 200 and invites no second survey (API.md §24).
            if conversation.status == .open {
                try SupportStore.resolve(id, now: now, in: db)
                try EventLog.append(
                    SupportEvent.resolved, stream: EventLog.accountStream(conversation.customerID),
                    data: [
                        "conversation_id": .string(id), "kind": .string(conversation.kind.rawValue),
                        "account_id": .string(conversation.customerID),
                    ],
                    now: now, in: db
                )
            }
            return try SupportStore.conversation(id, in: db)!
        }
    }

    /// - Throws: `404`, `400` naming `account_id` when it is not an agent.
    public func assign(_ id: String, to agent: String, by caller: Principal) async throws -> Conversation {
        let now = clock.now().epochSeconds
        return try await database.write { db in
            _ = try Self.visible(id, to: caller, in: db)
            guard try SupportStore.isAgent(agent, in: db) else { throw SupportError.notAnAgent(agent) }
            try SupportStore.assign(id, to: agent, now: now, in: db)
            return try SupportStore.conversation(id, in: db)!
        }
    }

    /// ``grantGoodwill(_:in:by:now:in:)`` in its own keyed transaction.
    public func grantGoodwill(
        _ amountCents: Int64, in id: String, by agent: Principal, key: IdempotencyKey?, answering: Answering<Coupon>
    ) async throws -> Keyed<Coupon> {
        return try await database.write(keyed: key, clock: clock, answering: answering) { [self] now, db in
            try grantGoodwill(amountCents, in: id, by: agent, now: now, in: db)
        }
    }

    /// A goodwill coupon for the conversation's customer inside the caller's transaction.
    ///
    /// - Throws: `404`, `409 invalid_state` (no active `goodwill` campaign), `409 sold_out`, `409 limit_reached`.
    public func grantGoodwill(_ amountCents: Int64, in id: String, by agent: Principal, now: Int64, in db: any Transaction) throws -> Coupon {
        let conversation = try Self.visible(id, to: agent, in: db)
        let day = Self.day(now)
        let granted = try SupportStore.goodwillToday(of: agent.accountID, day: day, in: db)
        guard granted + amountCents <= Self.goodwillPerAgentPerDay else {
            throw SupportError.dailyGoodwillLimit(left: Self.goodwillPerAgentPerDay - granted)
        }
        let coupon = try CouponService.grantGoodwill(
            amountCents: amountCents, to: conversation.customerID, id: ids.next("cpn"), now: now, in: db
        )
        try SupportStore.insertGoodwillGrant(
            id: ids.next("gwg"), agent: agent.accountID, conversation: id, coupon: coupon.id, amountCents: amountCents,
            day: day, now: now, in: db
        )
        _ = try Self.post(
            "A goodwill coupon of \(Money.text(amountCents)) is in your coupons.", to: conversation, author: agent.accountID,
            role: .system, ids: ids, now: now, in: db
        )
        return coupon
    }

    // MARK: - SLA

    /// The scheduler's check at the first-response deadline: escalate once and tell every admin.
    public static func checkDeadline(_ id: String, ids: IDGenerator, now: Int64, in db: any Transaction) throws {
        guard let c = try SupportStore.conversation(id, in: db), c.firstResponseAt == nil, c.status == .open, !c.escalated
        else { return }
        try SupportStore.markEscalated(id, in: db)
        for admin in try SupportStore.admins(in: db) {
            _ = try SendPath.send(OutgoingMessage(
                accountID: admin, category: .support, rule: "sla_escalation",
                title: LocalizedText(en: "A customer is still waiting", de: "Eine Kundin oder ein Kunde wartet noch"),
                body: LocalizedText(
                    en: "\"\(c.subject)\" has had no answer within \(responseHours[c.kind] ?? 24) hours.",
                    de: "„\(c.subject)“ wurde nicht innerhalb von \(responseHours[c.kind] ?? 24) Stunden beantwortet."
                ),
                link: "/v1/conversations/\(id)", data: ["conversation_id": .string(id)]
            ), ids: ids, now: now, in: db)
        }
    }

    public static var deadlineJob: String { SupportEvent.slaJob }

    // MARK: - Internals

    static func visible(_ id: String, to caller: Principal, in db: any Transaction) throws -> Conversation {
        guard let c = try SupportStore.conversation(id, in: db), caller.accountID == c.customerID || caller.has(.agent) else {
            throw SupportError.conversationNotFound(id)
        }
        return c
    }

    static func post(
        _ text: String, to c: Conversation, author: String, role: ConversationMessage.Role, ids: IDGenerator, now: Int64,
        in db: any Transaction
    ) throws -> ConversationMessage {
        let message = ConversationMessage(
            id: ids.next("cvm"), conversationID: c.id, authorID: author,
            authorName: role == .system ? "Basar" : (try AccountService.displayName(of: author, in: db) ?? ""), role: role,
            text: text, createdAt: now
        )
        try SupportStore.insert(message, in: db)
        if c.status == .resolved, role != .system {
            try SupportStore.reopen(c.id, in: db)
        }
        // SLAs and counts ignore system messages (API.md §24).
        if role == .agent, c.firstResponseAt == nil {
            try SupportStore.markFirstResponse(c.id, at: now, in: db)
            try Scheduler.cancel(SupportEvent.slaJob, key: c.id, in: db)
        }
        // The customer hears of agent and system messages; the assignee of the customer's.
        let recipient = role == .customer ? c.assigneeID : c.customerID
        if let recipient, recipient != author {
            try EventLog.append(SupportEvent.message, stream: EventLog.accountStream(recipient), data: message.json, now: now, in: db)
            let isFirst = try SupportStore.messageCount(of: c.id, in: db) == 1
            _ = try SendPath.send(OutgoingMessage(
                accountID: recipient, category: .support, rule: isFirst ? "conversation_opened" : "conversation_reply",
                title: LocalizedText(en: "New message: \(c.subject)", de: "Neue Nachricht: \(c.subject)"),
                body: LocalizedText(en: String(text.prefix(200)), de: String(text.prefix(200))),
                link: "/v1/conversations/\(c.id)", data: ["conversation_id": .string(c.id), "message_id": .string(message.id)]
            ), ids: ids, now: now, in: db)
        }
        return message
    }

    static func day(_ now: Int64) -> String { CalendarDay.text(of: Date(timeIntervalSince1970: TimeInterval(now))) }
}

extension ConversationMessage {
    /// The API's message (API.md §18); also the data of `conversation.message` events.
    public var json: JSON {
        [
            "id": .string(id), "conversation_id": .string(conversationID),
            "author": ["account_id": .string(authorID), "display_name": .string(authorName), "role": .string(role.rawValue)],
            "text": .string(text), "created_at": .string(Timestamp.format(epochSeconds: createdAt)),
        ]
    }
}

import Foundation
