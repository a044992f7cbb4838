import Core
import Storage

extension LiveStore {
    /// A message that is not deleted, with its author's display name.
    static func message(_ id: String, in db: Connection) throws -> ChatMessage? {
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
        id: String, sessionID: String, accountID: String, text: String, now: Int64, in db: Connection
    ) throws {
        try db.run(
            "INSERT INTO live_messages (id, session_id, account_id, text, created_at) VALUES (?, ?, ?, ?, ?)",
            id, sessionID, accountID, text, now
        )
    }

    /// Marks a message of that session deleted; it still counts in the stats.
    /// - Returns: `false` when the session has no such message, or it was deleted already.
    static func markMessageDeleted(_ id: String, session sessionID: String, now: Int64, in db: Connection) throws -> Bool {
        try db.run(
            "UPDATE live_messages SET deleted_at = ? WHERE id = ? AND session_id = ? AND deleted_at IS NULL",
            now, id, sessionID
        ) == 1
    }

    static func isMuted(_ accountID: String, in sessionID: String, db: Connection) throws -> Bool {
        try db.queryOne("SELECT 1 AS one FROM live_mutes WHERE session_id = ? AND account_id = ?", sessionID, accountID) != nil
    }

    /// Mutes an account for the rest of a session. Invariant: one row per (session, account), by the primary key;
    /// muting twice changes nothing (portable `ON CONFLICT DO NOTHING`).
    static func mute(_ accountID: String, in sessionID: String, now: Int64, db: Connection) throws {
        try db.run(
            """
            INSERT INTO live_mutes (session_id, account_id, created_at) VALUES (?, ?, ?)
            ON CONFLICT (session_id, account_id) DO NOTHING
            """,
            sessionID, accountID, now
        )
    }
}
