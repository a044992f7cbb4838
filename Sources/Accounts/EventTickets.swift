import Core
import Storage

/// Single-use tickets for event streams (API.md §24): a browser's `EventSource` cannot send `Authorization`, so it
/// opens `…/events?ticket=…` with a ticket bought with its token a moment before. Only the ticket's hash is stored,
/// it lives 60 seconds and is spent by the first stream that presents it.
public enum EventTickets {
    public static let lifetimeSeconds: Int64 = 60
}

extension AccountService {
    /// Issues a ticket for the caller. - Returns: the ticket and when it expires.
    public func issueTicket(for principal: Principal) async throws -> (ticket: String, expiresAt: Int64) {
        let (ticket, hash) = Self.newToken()
        let expires = now + EventTickets.lifetimeSeconds
        let cutoff = now
        try await database.write { db in
            try AccountStore.insertTicket(hash: hash, accountID: principal.accountID, expiresAt: expires, now: cutoff, in: db)
        }
        return (ticket, expires)
    }

    /// Spends a ticket. - Returns: its account as a principal, or nil when unknown, spent or expired.
    public func redeemTicket(_ ticket: String) async throws -> Principal? {
        guard (16...256).contains(ticket.utf8.count) else { return nil }
        let hash = SHA256.hash(Array(ticket.utf8))
        let cutoff = now
        return try await database.write { db -> Principal? in
            guard let account = try AccountStore.spendTicket(hash: hash, now: cutoff, in: db) else { return nil }
            return try AccountStore.principal(accountID: account, in: db)
        }
    }
}
