import Accounts
import Core
import Storage

/// What the data export and erasure of API.md §16 need from live shopping.
extension LiveService {
    /// Every chat message an account wrote, newest first.
    public static func messages(of accountID: String, in db: Connection) throws -> [ChatMessage] {
        let name = try AccountService.displayName(of: accountID, in: db) ?? ""
        return try db.query(
            "SELECT * FROM live_messages WHERE account_id = ? ORDER BY created_at DESC, id DESC", accountID
        ).map { row in
            ChatMessage(
                id: row.string("id"), sessionID: row.string("session_id"), accountID: accountID, displayName: name,
                text: row.string("text"), createdAt: row.int64("created_at")
            )
        }
    }

    /// Every bid an account placed, newest first.
    public static func bids(of accountID: String, in db: Connection) throws -> [PlacedBid] {
        try LiveStore.bids(of: accountID, in: db)
    }

    /// Removes the account's chat texts, also from the sessions' event logs: a replayed `message.created` shows
    /// "Deleted account" and no text (API.md §24), and an `auction.bid` it led shows "Deleted account" as the leader.
    /// SQLite's json_extract; PostgreSQL: `data::jsonb->>'account_id'`.
    public static func erase(_ accountID: String, in db: Connection) throws {
        try db.run("UPDATE live_messages SET text = '' WHERE account_id = ?", accountID)
        let rows = try db.query(
            "SELECT id, data FROM live_events WHERE name = 'message.created' AND json_extract(data, '$.account_id') = ?",
            accountID
        ) + db.query(
            "SELECT id, data FROM live_events WHERE name = 'auction.bid' AND json_extract(data, '$.leader_account_id') = ?",
            accountID
        )
        for row in rows {
            guard let data = try? JSONParser.parse(Array(row.string("data").utf8)),
                  let scrubbed = EventLog.scrubbedMessage(data)
            else { continue }
            try db.run("UPDATE live_events SET data = ? WHERE id = ?", scrubbed.serializedString(), row.int64("id"))
        }
    }
}
