import Core
import Storage

extension LiveStore {
    /// A message that is not deleted, with its author's display name.
    static func message(_ id: String, in db: any Transaction) throws -> ChatMessage? {
        try db.queryOne(
            """
            SELECT m.*, a.display_name FROM live_messages m JOIN accounts a ON a.id = m.account_id
            WHERE m.id = ? AND m.deleted_at IS NULL
            """,
            id
        ).map {
            ChatMessage(
                id: $0.string("id"), sessionID: $0.string("session_id"), accountID: $0.string("account_id"),
                displayName: $0.string("display_name"), text: $0.string("text"), createdAt: $0.int64("created_at")
            )
        }
    }

    static func insertMessage(
        id: String, sessionID: String, accountID: String, text: String, now: Int64, in db: any Transaction
    ) throws {
        try db.run(
            "INSERT INTO live_messages (id, session_id, account_id, text, created_at) VALUES (?, ?, ?, ?, ?)",
            id, sessionID, accountID, text, now
        )
    }

    /// Marks a message of that session deleted; it still counts in the stats.
    /// - Returns: `false` when the session has no such message, or it was deleted already.
    static func markMessageDeleted(_ id: String, session sessionID: String, now: Int64, in db: any Transaction) throws -> Bool {
        try db.run(
            "UPDATE live_messages SET deleted_at = ? WHERE id = ? AND session_id = ? AND deleted_at IS NULL",
            now, id, sessionID
        ) == 1
    }

    static func isMuted(_ accountID: String, in sessionID: String, db: any Transaction) throws -> Bool {
        try db.queryOne("SELECT 1 AS one FROM live_mutes WHERE session_id = ? AND account_id = ?", sessionID, accountID) != nil
    }

    /// Mutes an account for the rest of a session. Invariant: one row per (session, account), by the primary key;
    /// muting twice changes nothing (portable `ON CONFLICT DO NOTHING`).
    static func mute(_ accountID: String, in sessionID: String, now: Int64, db: any Transaction) throws {
        try db.run(
            """
            INSERT INTO live_mutes (session_id, account_id, created_at) VALUES (?, ?, ?)
            ON CONFLICT (session_id, account_id) DO NOTHING
            """,
            sessionID, accountID, now
        )
    }

    /// Every message an account wrote, newest first, shown under `displayName` (the data export).
    static func messages(writtenBy accountID: String, displayName: String, in db: any Transaction) throws -> [ChatMessage] {
        try db.query(
            "SELECT * FROM live_messages WHERE account_id = ? ORDER BY created_at DESC, id DESC", accountID
        ).map { row in
            ChatMessage(
                id: row.string("id"), sessionID: row.string("session_id"), accountID: accountID, displayName: displayName,
                text: row.string("text"), createdAt: row.int64("created_at")
            )
        }
    }

    /// Erasure: clears the texts of an account's messages.
    static func eraseMessages(of accountID: String, in db: any Transaction) throws {
        try db.run("UPDATE live_messages SET text = '' WHERE account_id = ?", accountID)
    }

    /// Erasure: rewrites the sessions' events that show the account — a `message.created` it wrote and an
    /// `auction.bid` it led — with `EventLog.scrubbedMessage`. The data's keys are read by the dialect's
    /// ``SQLDialect/jsonText(_:key:)``.
    static func scrubEvents(of accountID: String, in db: any Transaction) throws {
        let author = db.dialect.jsonText("data", key: "account_id")
        let leader = db.dialect.jsonText("data", key: "leader_account_id")
        let rows = try db.query(
            "SELECT id, data FROM live_events WHERE name = 'message.created' AND \(author) = ?", accountID
        ) + db.query(
            "SELECT id, data FROM live_events WHERE name = 'auction.bid' AND \(leader) = ?", accountID
        )
        for row in rows {
            guard let data = try? JSONParser.parse(Array(row.string("data").utf8)),
                  let scrubbed = EventLog.scrubbedMessage(data)
            else { continue }
            try db.run("UPDATE live_events SET data = ? WHERE id = ?", scrubbed.serializedString(), row.int64("id"))
        }
    }
}
