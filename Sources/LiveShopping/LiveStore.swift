import Catalog
import Core
import Storage

/// The SQL of live shopping; every function runs inside the caller's transaction. Pins, chat, coupon drops and
/// stats are in `LiveStore+Topic.swift`.
enum LiveStore {
    // MARK: - Sessions

    static let sessionSelect = """
        SELECT s.*, a.display_name AS host_display_name FROM live_sessions s JOIN accounts a ON a.id = s.host_id
        """

    static func session(_ id: String, in db: any Transaction) throws -> LiveSession? {
        try db.queryOne("\(sessionSelect) WHERE s.id = ?", id).map(session(from:))
    }

    /// The session, or `404`.
    static func requireSession(_ id: String, in db: any Transaction) throws -> LiveSession {
        guard let s = try session(id, in: db) else { throw LiveError.sessionNotFound(id) }
        return s
    }

    static func session(from row: Row) -> LiveSession {
        LiveSession(
            id: row.string("id"), hostID: row.string("host_id"), hostDisplayName: row.string("host_display_name"),
            title: row.string("title"), description: row.optionalString("description"),
            status: LiveStatus(rawValue: row.string("status")) ?? .ended, streamURL: row.optionalString("stream_url"),
            scheduledAt: row.optionalInt64("scheduled_at"), startedAt: row.optionalInt64("started_at"),
            endedAt: row.optionalInt64("ended_at"), viewerCount: 0, likeCount: row.int64("like_count"), pins: [],
            createdAt: row.int64("created_at")
        )
    }

    static func insertSession(
        id: String, hostID: String, title: String, description: String?, streamURL: String?, scheduledAt: Int64?,
        now: Int64, in db: any Transaction
    ) throws {
        try db.run(
            """
            INSERT INTO live_sessions (id, host_id, title, description, status, stream_url, scheduled_at, created_at)
            VALUES (?, ?, ?, ?, 'scheduled', ?, ?, ?)
            """,
            id, hostID, title, description, streamURL, scheduledAt, now
        )
    }

    /// Sessions newest first, `limit` of them after `cursor`, each with its pins active at `now`.
    static func sessions(
        status: LiveStatus?, cursor: String?, limit: Int, now: Int64, in db: any Transaction
    ) throws -> [LiveSession] {
        var conditions: [String] = []
        var arguments: [(any SQLBindable)?] = []
        if let status {
            conditions.append("s.status = ?")
            arguments.append(status.rawValue)
        }
        if let cursor {
            // A cursor of another list is a 400 here as in every list (it was silently ignored).
            guard let (time, id) = Cursor.decodeTimeAndID(cursor) else { throw Failure.invalid("cursor", "is not a valid cursor") }
            conditions.append("(s.created_at < ? OR (s.created_at = ? AND s.id < ?))")
            arguments += [time, time, id]
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments.append(limit)
        return try db.query(
            "\(sessionSelect) \(filter) ORDER BY s.created_at DESC, s.id DESC LIMIT ?", arguments: arguments
        ).map { row in
            var s = session(from: row)
            s.pins = try activePins(of: s.id, now: now, in: db)
            return s
        }
    }

    /// The host's session that is live now, if any.
    static func liveSessionID(ofHost hostID: String, in db: any Transaction) throws -> String? {
        try db.queryOne(
            "SELECT id FROM live_sessions WHERE host_id = ? AND status = 'live' ORDER BY started_at DESC LIMIT 1", hostID
        )?.string("id")
    }

    /// Whether a session exists, in any status.
    static func sessionExists(_ id: String, in db: any Transaction) throws -> Bool {
        try db.queryOne("SELECT 1 AS one FROM live_sessions WHERE id = ?", id) != nil
    }

    static func markLive(_ id: String, now: Int64, in db: any Transaction) throws {
        try db.run("UPDATE live_sessions SET status = 'live', started_at = ? WHERE id = ?", now, id)
    }

    static func markEnded(_ id: String, now: Int64, in db: any Transaction) throws {
        try db.run("UPDATE live_sessions SET status = 'ended', ended_at = ? WHERE id = ?", now, id)
    }

    /// Adds likes counted in memory since the last save.
    static func addLikes(_ count: Int64, to id: String, in db: any Transaction) throws {
        try db.run("UPDATE live_sessions SET like_count = like_count + ? WHERE id = ?", count, id)
    }

    /// The stored like counts of `ids`.
    static func likeCounts(of ids: [String], in db: any Transaction) throws -> [String: Int64] {
        let rows = try db.query(
            "SELECT id, like_count FROM live_sessions WHERE id IN (\(db.dialect.jsonArrayValues))",
            JSON.array(ids.map(JSON.string)).serializedString()
        )
        return Dictionary(rows.map { ($0.string("id"), $0.int64("like_count")) }, uniquingKeysWith: { first, _ in first })
    }

    /// Raises the stored peak of open streams, never lowers it.
    static func raisePeak(_ peak: Int64, of id: String, in db: any Transaction) throws {
        // CASE in place of SQLite's two-argument max(), which PostgreSQL lacks (its GREATEST).
        try db.run(
            """
            UPDATE live_sessions SET peak_viewers = CASE WHEN peak_viewers > ? THEN peak_viewers ELSE ? END
            WHERE id = ?
            """,
            peak, peak, id
        )
    }

    // MARK: - Viewers

    /// Counts a viewer of a session once. Invariant: one row per (session, viewer), by the primary key; the portable
    /// `ON CONFLICT DO NOTHING` (SQLite ≥ 3.24 and PostgreSQL) keeps a second stream of the same account uncounted.
    static func addViewer(_ viewer: String, to sessionID: String, in db: any Transaction) throws {
        try db.run(
            "INSERT INTO live_viewers (session_id, viewer) VALUES (?, ?) ON CONFLICT (session_id, viewer) DO NOTHING",
            sessionID, viewer
        )
    }

    // MARK: - Events

    /// Appends an event to the session's log; the caller's transaction makes it part of the change it describes.
    @discardableResult
    static func append(_ name: String, _ data: JSON, session sessionID: String, now: Int64, in db: any Transaction) throws -> Int64 {
        // A stream reads `id > cursor`, so ids must commit in id order: SQLite's single writer, and on PostgreSQL the
        // append lock every write transaction holds from BEGIN (PostgresEngine), as for `EventLog.append`.
        return try db.scalar(
            "INSERT INTO live_events (session_id, name, data, created_at) VALUES (?, ?, ?, ?) RETURNING id",
            sessionID, name, data.serializedString(), now
        ) ?? 0
    }

    /// Events of a session after `id`, in order.
    static func events(of sessionID: String, after id: Int64, limit: Int, in db: any Transaction) throws -> [StreamEvent] {
        try db.query(
            "SELECT id, name, data FROM live_events WHERE session_id = ? AND id > ? ORDER BY id LIMIT ?",
            sessionID, id, limit
        ).map { StreamEvent(id: $0.int64("id"), name: $0.string("name"), data: $0.string("data")) }
    }

    /// The newest event id of a session, 0 when it has none.
    static func lastEventID(of sessionID: String, in db: any Transaction) throws -> Int64 {
        try db.scalar("SELECT COALESCE(MAX(id), 0) FROM live_events WHERE session_id = ?", sessionID) ?? 0
    }

    /// The session's stream in the domain event log (`live.started`, `pin.added`, for consumers across modules).
    static func domainStream(_ sessionID: String) -> String { "live:" + sessionID }
}
