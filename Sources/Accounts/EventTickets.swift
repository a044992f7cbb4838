import Core
import Storage

/// Single-use tickets for event streams (API.md §24): a browser's `EventSource` cannot send `Authorization`, so it
/// opens `…/events?ticket=…` with a ticket bought with its token a moment before. Only the ticket's hash is stored,
/// it lives 60 seconds and is spent by the first stream that presents it.
public enum EventTickets {
    public static let lifetimeSeconds: Int64 = 60

    static let migration = Migration(
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
}

extension AccountService {
    /// Issues a ticket for the caller. - Returns: the ticket and when it expires.
    public func issueTicket(for principal: Principal) async throws -> (ticket: String, expiresAt: Int64) {
        let (ticket, hash) = Self.newToken()
        let expires = now + EventTickets.lifetimeSeconds
        let cutoff = now
        try await database.write { db in
            // Spent or expired tickets are swept as new ones are issued: the table stays as small as the last minute.
            try db.run("DELETE FROM event_tickets WHERE expires_at <= ?", cutoff)
            try db.run(
                "INSERT INTO event_tickets (ticket_hash, account_id, expires_at) VALUES (?, ?, ?)",
                hash, principal.accountID, expires
            )
        }
        return (ticket, expires)
    }

    /// Spends a ticket. - Returns: its account as a principal, or nil when unknown, spent or expired.
    public func redeemTicket(_ ticket: String) async throws -> Principal? {
        guard (16...256).contains(ticket.utf8.count) else { return nil }
        let hash = SHA256.hash(Array(ticket.utf8))
        let cutoff = now
        return try await database.write { db -> Principal? in
            // Invariant: single use. The DELETE … RETURNING takes the row once, whatever the concurrency.
            guard let account = try db.queryOne(
                "DELETE FROM event_tickets WHERE ticket_hash = ? AND expires_at > ? RETURNING account_id", hash, cutoff
            )?.string("account_id") else { return nil }
            return try AccountStore.principal(accountID: account, in: db)
        }
    }
}
