import Core
import Storage

/// The SQL of single-use event stream tickets (``EventTickets``): only a ticket's hash is stored.
extension AccountStore {
    // PostgreSQL: a plain table; WITHOUT ROWID is SQLite's table clustered on its primary key.
    static let ticketsMigration = Migration(
        "0004_create_event_tickets",
        """
        CREATE TABLE event_tickets (
            ticket_hash BLOB PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES accounts(id),
            expires_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX event_tickets_by_expiry ON event_tickets(expires_at);
        """
    )

    /// Stores a ticket's hash, sweeping spent or expired tickets as new ones are issued: the table stays as small as
    /// the last minute.
    static func insertTicket(hash: [UInt8], accountID: String, expiresAt: Int64, now: Int64, in db: any Transaction) throws {
        try db.run("DELETE FROM event_tickets WHERE expires_at <= ?", now)
        try db.run(
            "INSERT INTO event_tickets (ticket_hash, account_id, expires_at) VALUES (?, ?, ?)", hash, accountID, expiresAt
        )
    }

    /// Spends a ticket. - Returns: its account, or nil when unknown, spent or expired.
    static func spendTicket(hash: [UInt8], now: Int64, in db: any Transaction) throws -> String? {
        // Invariant: single use. The DELETE … RETURNING takes the row once, whatever the concurrency.
        try db.queryOne(
            "DELETE FROM event_tickets WHERE ticket_hash = ? AND expires_at > ? RETURNING account_id", hash, now
        )?.string("account_id")
    }
}
