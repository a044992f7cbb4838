import Core

extension EventLog {
    /// One event for ``appendAll(_:now:in:)``.
    public struct Entry: Sendable {
        public var name: String
        public var stream: String
        public var data: JSON

        public init(_ name: String, stream: String, data: JSON) {
            (self.name, self.stream, self.data) = (name, stream, data)
        }
    }

    /// Events after a global position up to `end` whose name is one of `names` (from ``nameList(_:)``), oldest
    /// first. The list is a JSON array, read by the dialect's ``SQLDialect/jsonArrayValues``. The bound matters on
    /// PostgreSQL, where each statement of a READ COMMITTED transaction sees the commits made since the last one.
    static func events(
        after id: Int64, upTo end: Int64, names: String, limit: Int, in db: any Transaction
    ) throws -> [DomainEvent] {
        try db.query(
            """
            SELECT * FROM domain_events WHERE id > ? AND id <= ? AND name IN (\(db.dialect.jsonArrayValues))
            ORDER BY id LIMIT ?
            """,
            id, end, names, Int64(limit)
        ).map(event)
    }

    /// Whether an event after a global position has one of `names`; reads no data.
    static func hasEvents(after id: Int64, names: String, in db: any Transaction) throws -> Bool {
        try db.scalar(
            "SELECT 1 FROM domain_events WHERE id > ? AND name IN (\(db.dialect.jsonArrayValues)) LIMIT 1", id, names
        ) != nil
    }

    /// The name of every event after a global position, oldest first, at most `limit` of them; reads no data.
    static func names(after id: Int64, limit: Int, in db: any Transaction) throws -> [(id: Int64, name: String)] {
        try db.query("SELECT id, name FROM domain_events WHERE id > ? ORDER BY id LIMIT ?", id, Int64(limit))
            .map { ($0.int64("id"), $0.string("name")) }
    }

    /// Every consumer's durable cursor.
    static func cursors(in db: any Transaction) throws -> [String: Int64] {
        var cursors: [String: Int64] = [:]
        for row in try db.query("SELECT consumer, position FROM event_cursors") {
            cursors[row.string("consumer")] = row.int64("position")
        }
        return cursors
    }

    /// A set of event names as the one argument of ``events(after:names:limit:in:)``.
    static func nameList(_ names: Set<String>) -> String {
        JSON.array(names.sorted().map(JSON.string)).serializedString()
    }

    /// Appends many events inside the caller's transaction, as ``append(_:stream:data:now:in:)`` would one after
    /// the other: the same global order, the same per-stream sequences, with a few multi-row statements instead of
    /// two statements per event.
    ///
    /// Each stream's counter row is advanced once by its number of entries (the same upsert, so under concurrent
    /// writers the row lock still orders them), and the stream's entries take the sequences below the new value.
    /// - Parameters:
    ///   - entries: in the order they happened.
    ///   - now: their `created_at`.
    /// - Throws: ``SQLiteError``.
    public static func appendAll(_ entries: [Entry], now: Int64, in db: any Transaction) throws {
        guard !entries.isEmpty else { return }
        // Ids become visible in id order, as with `append` (a follower reads `id > position`).
        var counts: [String: Int64] = [:]
        var streams: [String] = []
        for entry in entries {
            if counts[entry.stream] == nil { streams.append(entry.stream) }
            counts[entry.stream, default: 0] += 1
        }
        let advanced = try db.insertRows(
            "INSERT INTO event_streams (stream, last_sequence) VALUES", columns: 2, count: streams.count,
            tail: """
            ON CONFLICT (stream) DO UPDATE SET last_sequence = event_streams.last_sequence + excluded.last_sequence
            RETURNING stream, last_sequence
            """
        ) { i, arguments in
            arguments.append(streams[i])
            arguments.append(counts[streams[i]] ?? 0)
        }
        // The sequence before each stream's first new entry; RETURNING's order is unspecified, so by stream.
        var next: [String: Int64] = [:]
        for row in advanced {
            let stream = row.string("stream")
            next[stream] = row.int64("last_sequence") - (counts[stream] ?? 0)
        }
        var sequences: [Int64] = []
        sequences.reserveCapacity(entries.count)
        for entry in entries {
            let sequence = (next[entry.stream] ?? 0) + 1
            next[entry.stream] = sequence
            sequences.append(sequence)
        }
        try db.insertRows(
            "INSERT INTO domain_events (stream, sequence, name, data, created_at) VALUES", columns: 5, count: entries.count
        ) { i, arguments in
            let entry = entries[i]
            arguments.append(entry.stream)
            arguments.append(sequences[i])
            arguments.append(entry.name)
            arguments.append(entry.data.serializedString())
            arguments.append(now)
        }
    }
}
