import Core

/// One message per second per account (API.md §9, §20) for one kind of chat, counted across the cluster (§24).
///
/// SQLite has one serving process, so the slots stay in its memory (``MessageRateLimiter``): no statement per
/// message. On PostgreSQL the next message may reach any node, so an account's slot is a `rate_slots` row that one
/// upsert claims atomically, in a short write of its own before the message's.
public final class MessageRateLimit: Sendable {
    /// What ``take(_:now:)`` claimed, for ``giveBack(_:)``.
    public struct Claim: Sendable {
        let accountID: String
        let at: Double
        /// The in-memory slot before this claim (SQLite).
        let previous: Double?
    }

    private let database: Database
    private let kind: String
    private let memory: MessageRateLimiter

    /// - Parameters:
    ///   - database: where the slots live on PostgreSQL.
    ///   - kind: the chat whose slots these are (`live`, `community`); each kind has its own second.
    ///   - memory: the slots on SQLite.
    public init(database: Database, kind: String, memory: MessageRateLimiter = MessageRateLimiter()) {
        self.database = database
        self.kind = kind
        self.memory = memory
    }

    /// Claims the account's slot at `now` (seconds).
    /// - Returns: the claim, to give back when the message fails.
    /// - Throws: `429 rate_limited` with the seconds to wait; the engine's error.
    public func take(_ accountID: String, now: Double) async throws -> Claim {
        guard database.dialect == .postgres else {
            return Claim(accountID: accountID, at: now, previous: try memory.take(accountID, now: now))
        }
        let kind = self.kind
        let wait = try await database.writeUnannounced { db -> Int? in
            // One statement: of two nodes claiming the same second, the second waits for the first's row lock and
            // then finds the WHERE false, so it gets no row back.
            let claimed = try db.queryOne(
                """
                INSERT INTO rate_slots (account_id, kind, last_at) VALUES (?, ?, ?)
                ON CONFLICT (account_id, kind) DO UPDATE SET last_at = excluded.last_at
                WHERE rate_slots.last_at <= excluded.last_at - 1
                RETURNING last_at
                """,
                accountID, kind, now
            )
            guard claimed == nil else { return nil }
            let last = try db.queryOne(
                "SELECT last_at FROM rate_slots WHERE account_id = ? AND kind = ?", accountID, kind
            )?.double("last_at")
            return max(1, Int(((last ?? now) + 1 - now).rounded(.up)))
        }
        if let wait { throw RateLimited(retryAfter: wait) }
        return Claim(accountID: accountID, at: now, previous: nil)
    }

    /// A message that failed does not use up the slot. On PostgreSQL the slot moves a second back, unless a later
    /// message claimed it meanwhile; if that write fails the account waits out the second.
    public func giveBack(_ claim: Claim) async {
        guard database.dialect == .postgres else {
            memory.giveBack(claim.accountID, previous: claim.previous)
            return
        }
        let kind = self.kind
        _ = try? await database.writeUnannounced { db in
            try db.run(
                "UPDATE rate_slots SET last_at = ? WHERE account_id = ? AND kind = ? AND last_at = ?",
                claim.at - 1, claim.accountID, kind, claim.at
            )
        }
    }

    /// Erasure (API.md §16): an account's slots go. They are not exported: a time stamp that is at most a second
    /// useful tells the customer nothing the exported messages do not.
    /// - Throws: the engine's error.
    public static func erase(_ accountID: String, in db: any Transaction) throws {
        try db.run("DELETE FROM rate_slots WHERE account_id = ?", accountID)
    }

    /// The slots' table; only PostgreSQL writes it.
    public static let migrations = [
        Migration(
            "0110_create_rate_slots",
            """
            CREATE TABLE rate_slots (
                account_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                last_at REAL NOT NULL,
                PRIMARY KEY (account_id, kind)
            ) WITHOUT ROWID;
            """
        ),
    ]
}
