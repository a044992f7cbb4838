import Core
import Storage

/// The SQL of conversations, messages, assignment and goodwill grants.
enum SupportStore {
    static let migration = Migration(
        "1000_create_conversations",
        """
        CREATE TABLE conversations (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('support', 'feedback')),
            customer_id TEXT NOT NULL REFERENCES accounts(id),
            subject TEXT NOT NULL,
            order_id TEXT,
            status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
            assignee_id TEXT,
            first_response_due_at INTEGER NOT NULL,
            first_response_at INTEGER,
            escalated INTEGER NOT NULL DEFAULT 0,
            resolved_at INTEGER,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE INDEX conversations_by_customer ON conversations(customer_id, created_at DESC, id DESC);
        CREATE INDEX conversations_by_time ON conversations(created_at DESC, id DESC);
        CREATE TABLE conversation_messages (
            id TEXT PRIMARY KEY,
            conversation_id TEXT NOT NULL REFERENCES conversations(id),
            author_id TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('customer', 'agent', 'system')),
            text TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            seq INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX conversation_messages_order ON conversation_messages(conversation_id, seq);
        -- Invariant: round robin. The one row is locked by its UPDATE in the creating transaction.
        CREATE TABLE support_round_robin (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            last_agent TEXT NOT NULL
        );
        INSERT INTO support_round_robin (id, last_agent) VALUES (1, '');
        CREATE TABLE goodwill_grants (
            id TEXT PRIMARY KEY,
            agent_id TEXT NOT NULL,
            conversation_id TEXT NOT NULL,
            coupon_id TEXT NOT NULL,
            amount_cents INTEGER NOT NULL,
            day TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX goodwill_by_agent_day ON goodwill_grants(agent_id, day);
        """
    )

    static let select = """
        SELECT c.*, cu.display_name AS customer_name, ag.display_name AS assignee_name
        FROM conversations c JOIN accounts cu ON cu.id = c.customer_id LEFT JOIN accounts ag ON ag.id = c.assignee_id
        """

    static func insert(_ c: Conversation, in db: any Transaction) throws {
        try db.run(
            """
            INSERT INTO conversations (id, kind, customer_id, subject, order_id, status, assignee_id, first_response_due_at,
                created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?)
            """,
            c.id, c.kind.rawValue, c.customerID, c.subject, c.orderID, c.assigneeID, c.firstResponseDueAt, c.createdAt,
            c.updatedAt
        )
    }

    static func conversation(_ id: String, in db: any Transaction) throws -> Conversation? {
        try db.queryOne(select + " WHERE c.id = ?", id).map(conversation(from:))
    }

    static func list(
        customer: String?, status: String?, assignee: String??, page: PageRequest, in db: any Transaction
    ) throws -> Page<Conversation> {
        var conditions: [String] = []
        var arguments: [(any SQLBindable)?] = []
        if let customer { conditions.append("customer_id = ?"); arguments.append(customer) }
        if let status { conditions.append("status = ?"); arguments.append(status) }
        if let assignee {
            if let who = assignee { conditions.append("assignee_id = ?"); arguments.append(who) }
            else { conditions.append("assignee_id IS NULL") }
        }
        return try Keyset.newestFirst(
            "SELECT * FROM (\(select)) AS c", conditions: conditions, arguments: arguments, page: page, in: db,
            map: conversation(from:), key: { ($0.createdAt, $0.id) }
        )
    }

    static func resolve(_ id: String, now: Int64, in db: any Transaction) throws {
        try db.run("UPDATE conversations SET status = 'resolved', resolved_at = ?, updated_at = ? WHERE id = ?", now, now, id)
    }

    static func reopen(_ id: String, in db: any Transaction) throws {
        try db.run("UPDATE conversations SET status = 'open', resolved_at = NULL WHERE id = ?", id)
    }

    static func assign(_ id: String, to agent: String, now: Int64, in db: any Transaction) throws {
        try db.run("UPDATE conversations SET assignee_id = ?, updated_at = ? WHERE id = ?", agent, now, id)
    }

    static func markEscalated(_ id: String, in db: any Transaction) throws {
        try db.run("UPDATE conversations SET escalated = 1 WHERE id = ?", id)
    }

    /// Only the first agent message sets it.
    static func markFirstResponse(_ id: String, at now: Int64, in db: any Transaction) throws {
        try db.run("UPDATE conversations SET first_response_at = ? WHERE id = ? AND first_response_at IS NULL", now, id)
    }

    static func messageCount(of id: String, in db: any Transaction) throws -> Int64 {
        try db.scalar("SELECT COUNT(*) FROM conversation_messages WHERE conversation_id = ?", id) ?? 0
    }

    static func insertGoodwillGrant(
        id: String, agent: String, conversation: String, coupon: String, amountCents: Int64, day: String, now: Int64,
        in db: any Transaction
    ) throws {
        try db.run(
            """
            INSERT INTO goodwill_grants (id, agent_id, conversation_id, coupon_id, amount_cents, day, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            id, agent, conversation, coupon, amountCents, day, now
        )
    }

    static func insert(_ m: ConversationMessage, in db: any Transaction) throws {
        // Two writers must not read the same MAX(seq): the conversation's row orders them.
        try db.lockOwner(in: "conversations", key: m.conversationID)
        let seq = (try db.scalar("SELECT MAX(seq) FROM conversation_messages WHERE conversation_id = ?", m.conversationID) ?? 0) + 1
        try db.run(
            """
            INSERT INTO conversation_messages (id, conversation_id, author_id, role, text, created_at, seq)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            m.id, m.conversationID, m.authorID, m.role.rawValue, m.text, m.createdAt, seq
        )
        try db.run("UPDATE conversations SET updated_at = ? WHERE id = ?", m.createdAt, m.conversationID)
    }

    /// Oldest first, after a sequence number (the list's cursor).
    static func messages(of id: String, after seq: Int64, limit: Int, in db: any Transaction) throws -> [(Int64, ConversationMessage)] {
        try db.query(
            """
            SELECT m.*, a.display_name FROM conversation_messages m JOIN accounts a ON a.id = m.author_id
            WHERE m.conversation_id = ? AND m.seq > ? ORDER BY m.seq LIMIT ?
            """,
            id, seq, Int64(limit)
        ).map { row in
            (row.int64("seq"), ConversationMessage(
                id: row.string("id"), conversationID: id, authorID: row.string("author_id"),
                authorName: row.string("role") == "system" ? "Basar" : row.string("display_name"),
                role: ConversationMessage.Role(rawValue: row.string("role")) ?? .customer, text: row.string("text"),
                createdAt: row.int64("created_at")
            ))
        }
    }

    /// The next agent after the last one assigned, in id order, wrapping around; nil without agents.
    static func nextAgent(in db: any Transaction) throws -> String? {
        // PostgreSQL: FOR UPDATE, so two conversations opened at once take turns (SQLite has one writer).
        let lock = db.dialect == .postgres ? " FOR UPDATE" : ""
        let last = try db.queryOne("SELECT last_agent FROM support_round_robin WHERE id = 1" + lock)?
            .string("last_agent") ?? ""
        let agents = "SELECT account_id FROM account_roles WHERE role = 'agent' AND account_id > ? ORDER BY account_id LIMIT 1"
        guard let next = try db.queryOne(agents, last)?.string("account_id") ?? db.queryOne(agents, "")?.string("account_id")
        else { return nil }
        try db.run("UPDATE support_round_robin SET last_agent = ? WHERE id = 1", next)
        return next
    }

    static func isAgent(_ id: String, in db: any Transaction) throws -> Bool {
        try db.queryOne("SELECT 1 AS one FROM account_roles WHERE account_id = ? AND role = 'agent'", id) != nil
    }

    static func admins(in db: any Transaction) throws -> [String] {
        try db.query("SELECT account_id FROM account_roles WHERE role = 'admin' ORDER BY account_id").map { $0.string("account_id") }
    }

    /// What the agent granted on `day`; the agent's row stays locked until the caller's grant is written.
    static func goodwillToday(of agent: String, day: String, in db: any Transaction) throws -> Int64 {
        try db.lockOwner(in: "accounts", key: agent)
        return try db.scalar(
            "SELECT COALESCE(SUM(amount_cents), 0) FROM goodwill_grants WHERE agent_id = ? AND day = ?", agent, day
        ) ?? 0
    }

    static func conversation(from row: Row) -> Conversation {
        Conversation(
            id: row.string("id"), kind: Conversation.Kind(rawValue: row.string("kind")) ?? .support,
            customerID: row.string("customer_id"), customerName: row.string("customer_name"), subject: row.string("subject"),
            orderID: row.optionalString("order_id"), status: Conversation.Status(rawValue: row.string("status")) ?? .open,
            assigneeID: row.optionalString("assignee_id"), assigneeName: row.optionalString("assignee_name"),
            firstResponseDueAt: row.int64("first_response_due_at"), firstResponseAt: row.optionalInt64("first_response_at"),
            escalated: row.bool("escalated"), createdAt: row.int64("created_at"), updatedAt: row.int64("updated_at")
        )
    }
}
