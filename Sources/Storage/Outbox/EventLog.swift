import Core

/// One entry of the domain event log.
public struct DomainEvent: Sendable, Equatable {
    /// Global position: consumers read the log in this order.
    public let id: Int64
    /// The aggregate it belongs to, such as `account:acct_…`; ordering holds within a stream.
    public let stream: String
    /// Position within `stream`, 1, 2, 3 … without gaps; an account's event stream uses it as the SSE id.
    public let sequence: Int64
    /// What happened, such as `order.paid`.
    public let name: String
    public let data: JSON
    public let createdAt: Int64
}

/// The transactional outbox (docs/architecture.md): features append what happened in the transaction that made the
/// change, so an event exists exactly when its change committed, and consumers read it from a durable cursor.
public enum EventLog {
    public static let migrations = [
        Migration(
            "0010_create_event_log",
            """
            -- SQLite: INTEGER PRIMARY KEY is the rowid; PostgreSQL: bigserial (ids from a single writer are in
            -- commit order on SQLite; on PostgreSQL consumers must read behind the oldest open transaction).
            CREATE TABLE domain_events (
                id INTEGER PRIMARY KEY,
                stream TEXT NOT NULL,
                sequence INTEGER NOT NULL,
                name TEXT NOT NULL,
                data TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                UNIQUE (stream, sequence)
            );
            -- Invariant: per-stream order. The counter row is locked by its UPDATE in the appending transaction,
            -- so concurrent writers to one stream get consecutive sequences (no MAX() read after the fact).
            CREATE TABLE event_streams (
                stream TEXT PRIMARY KEY,
                last_sequence INTEGER NOT NULL
            );
            -- One durable cursor per consumer, advanced in the transaction of the consumer's own effect.
            CREATE TABLE event_cursors (
                consumer TEXT PRIMARY KEY,
                position INTEGER NOT NULL
            );
            CREATE TABLE event_dead_letters (
                consumer TEXT NOT NULL,
                event_id INTEGER NOT NULL,
                error TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                PRIMARY KEY (consumer, event_id)
            );
            """
        ),
    ]

    /// Appends an event inside the caller's transaction.
    /// - Returns: the event with its global id and its stream sequence.
    @discardableResult
    public static func append(
        _ name: String, stream: String, data: JSON, now: Int64, in db: any Transaction
    ) throws -> DomainEvent {
        // Invariant: global ids become visible in id order, so a consumer's cursor never passes an id that commits
        // later. SQLite's single writer gives that; on PostgreSQL every write transaction holds the append lock from
        // BEGIN to COMMIT (PostgresEngine), so appenders commit in the order they drew ids.
        // Portable upsert (SQLite ≥ 3.35 and PostgreSQL): the row lock orders writers of one stream.
        let sequence = try db.scalar(
            """
            INSERT INTO event_streams (stream, last_sequence) VALUES (?, 1)
            ON CONFLICT (stream) DO UPDATE SET last_sequence = event_streams.last_sequence + 1
            RETURNING last_sequence
            """,
            stream
        ) ?? 1
        let text = data.serializedString()
        let id = try db.scalar(
            "INSERT INTO domain_events (stream, sequence, name, data, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
            stream, sequence, name, text, now
        ) ?? 0
        EventDataCache.shared.keep(id, text: text, data: data)
        return DomainEvent(id: id, stream: stream, sequence: sequence, name: name, data: data, createdAt: now)
    }

    /// The advisory lock key of appending transactions on PostgreSQL ("baev" in ASCII) with the schema's hash, for every event log.
    static let appendLock: Int32 = 0x6261_6576

    /// Events after a global position, oldest first.
    public static func events(after id: Int64, limit: Int, in db: any Transaction) throws -> [DomainEvent] {
        try db.query("SELECT * FROM domain_events WHERE id > ? ORDER BY id LIMIT ?", id, Int64(limit)).map(event)
    }

    /// Events of one stream after a sequence, oldest first, optionally only some names.
    public static func events(
        stream: String, after sequence: Int64, names: Set<String>? = nil, limit: Int, in db: any Transaction
    ) throws -> [DomainEvent] {
        let rows = try db.query(
            "SELECT * FROM domain_events WHERE stream = ? AND sequence > ? ORDER BY sequence LIMIT ?",
            stream, sequence, Int64(limit)
        )
        return rows.map(event).filter { names?.contains($0.name) ?? true }
    }

    /// The newest sequence of a stream, 0 when it has none.
    public static func lastSequence(of stream: String, in db: any Transaction) throws -> Int64 {
        try db.scalar("SELECT last_sequence FROM event_streams WHERE stream = ?", stream) ?? 0
    }

    /// The newest global position, 0 for an empty log.
    public static func lastID(in db: any Transaction) throws -> Int64 {
        try db.scalar("SELECT COALESCE(MAX(id), 0) FROM domain_events") ?? 0
    }

    /// Replaces the data of one stream's events (erasure removes personal text from the log, API.md §24).
    public static func rewrite(stream: String, in db: any Transaction, _ transform: (DomainEvent) -> JSON?) throws {
        for row in try db.query("SELECT * FROM domain_events WHERE stream = ?", stream) {
            let old = event(row)
            if let new = transform(old) {
                try db.run("UPDATE domain_events SET data = ? WHERE id = ?", new.serializedString(), old.id)
            }
        }
    }

    // MARK: - Cursors

    public static func cursor(of consumer: String, in db: any Transaction) throws -> Int64? {
        try db.scalar("SELECT position FROM event_cursors WHERE consumer = ?", consumer)
    }

    /// The consumer's cursor, held until COMMIT: the batch a write transaction handles is that transaction's alone.
    /// Invariant: no event handled twice. SQLite's single writer gives that; on PostgreSQL several nodes' dispatchers
    /// feed the same consumer, so the row is created if missing and locked (an upsert that changes nothing), and a
    /// node that waited for it reads the position the other one left.
    public static func lockedCursor(of consumer: String, in db: any Transaction) throws -> Int64 {
        guard db.dialect == .postgres else { return try cursor(of: consumer, in: db) ?? 0 }
        return try db.scalar(
            """
            INSERT INTO event_cursors (consumer, position) VALUES (?, 0)
            ON CONFLICT (consumer) DO UPDATE SET position = event_cursors.position RETURNING position
            """,
            consumer
        ) ?? 0
    }

    public static func advance(_ consumer: String, to position: Int64, in db: any Transaction) throws {
        try db.run(
            """
            INSERT INTO event_cursors (consumer, position) VALUES (?, ?)
            ON CONFLICT (consumer) DO UPDATE SET position = excluded.position
            """,
            consumer, position
        )
    }

    static func deadLetter(_ consumer: String, event: Int64, error: String, now: Int64, in db: any Transaction) throws {
        try db.run(
            """
            INSERT INTO event_dead_letters (consumer, event_id, error, created_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (consumer, event_id) DO NOTHING
            """,
            consumer, event, error, now
        )
    }

    static func event(_ row: Row) -> DomainEvent {
        let (id, text) = (row.int64("id"), row.string("data"))
        let data: JSON
        if let kept = EventDataCache.shared.data(of: id, text: text) {
            data = kept
        } else {
            data = (try? JSONParser.parse(Array(text.utf8))) ?? .null
            EventDataCache.shared.keep(id, text: text, data: data)
        }
        return DomainEvent(
            id: id, stream: row.string("stream"), sequence: row.int64("sequence"), name: row.string("name"), data: data,
            createdAt: row.int64("created_at")
        )
    }
}

extension EventLog {
    /// The stream of everything that happens to one account; `GET /v1/me/events` numbers its events by it.
    public static func accountStream(_ accountID: String) -> String { "account:" + accountID }
}

extension EventLog {
    /// Erasure (API.md §24): `message.created` events of an account in streams with this prefix keep their ids but
    /// show "Deleted account" and no text. The prefix matches ignoring ASCII case on both engines, as SQLite's LIKE
    /// does (https://sqlite.org/lang_expr.html#like); PostgreSQL's LIKE alone would not.
    public static func rewriteMessages(of accountID: String, streamPrefix: String, in db: any Transaction) throws {
        let rows = try db.query(
            """
            SELECT * FROM domain_events WHERE name = 'message.created' AND lower(stream) LIKE lower(?)
                AND \(db.dialect.jsonText("data", key: "account_id")) = ?
            """,
            streamPrefix + "%", accountID
        )
        for row in rows {
            guard let scrubbed = scrubbedMessage(event(row).data) else { continue }
            try db.run("UPDATE domain_events SET data = ? WHERE id = ?", scrubbed.serializedString(), row.int64("id"))
        }
    }

    /// An event's data as an erased author's (a chat message, an auction bid it led): "Deleted account" for the
    /// names, no text; nil for data that is no object.
    /// Used for every log that keeps chat messages (the domain log, the live sessions' log).
    public static func scrubbedMessage(_ data: JSON) -> JSON? {
        guard case let .object(members) = data else { return nil }
        return .object(members.map { key, value in
            switch key {
            case "display_name", "leader_display_name": (key, .string("Deleted account"))
            case "text": (key, .string(""))
            default: (key, value)
            }
        })
    }
}
