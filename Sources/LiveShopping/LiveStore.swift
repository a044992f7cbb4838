import Catalog
import Core
import Storage

/// One event of a session's log as stored.
public struct StoredEvent: Sendable, Equatable {
    public var id: Int64
    public var name: String
    /// The serialized JSON payload.
    public var data: String

    /// The server-sent event: `id:`, `event:` and one `data:` line (JSON has no raw line breaks).
    var sse: [UInt8] { Array("id: \(id)\nevent: \(name)\ndata: \(data)\n\n".utf8) }
}

/// The SQL of live shopping; every function runs inside the caller's transaction.
enum LiveStore {
    // MARK: - Sessions

    static let sessionSelect = """
        SELECT s.*, a.display_name AS host_display_name FROM live_sessions s JOIN accounts a ON a.id = s.host_id
        """

    static func session(_ id: String, in db: Connection) throws -> LiveSession? {
        try db.queryOne("\(sessionSelect) WHERE s.id = ?", id).map(session(from:))
    }

    /// The session, or `404`.
    static func requireSession(_ id: String, in db: Connection) throws -> LiveSession {
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

    // MARK: - Pins

    static let pinSelect = "SELECT * FROM live_pins"

    /// The pins of a session that are active at `now`, oldest first, with their products as they are now.
    static func activePins(of sessionID: String, now: Int64, in db: Connection) throws -> [Pin] {
        try db.query(
            """
            \(pinSelect) WHERE session_id = ? AND ended_at IS NULL AND (ends_at IS NULL OR ends_at > ?)
            ORDER BY created_at, id
            """,
            sessionID, now
        ).compactMap { try pin(from: $0, in: db) }
    }

    static func pin(_ id: String, in db: Connection) throws -> Pin? {
        guard let row = try db.queryOne("\(pinSelect) WHERE id = ?", id) else { return nil }
        return try pin(from: row, in: db)
    }

    /// Whether the pin row has ended (by `DELETE`, expiry sweep or session end) or its time ran out.
    static func isEnded(_ row: Row, now: Int64) -> Bool {
        if row.optionalInt64("ended_at") != nil { return true }
        if let endsAt = row.optionalInt64("ends_at"), endsAt <= now { return true }
        return false
    }

    static func pin(from row: Row, in db: Connection) throws -> Pin? {
        guard let product = try ProductStore.product(row.string("product_id"), in: db) else { return nil }
        return Pin(
            id: row.string("id"), sessionID: row.string("session_id"), product: product,
            flashPriceCents: row.optionalInt64("flash_price_cents"), flashQuantity: row.optionalInt64("flash_quantity"),
            sold: row.int64("sold"), endsAt: row.optionalInt64("ends_at"), createdAt: row.int64("created_at")
        )
    }

    // MARK: - Events

    /// Appends an event to the session's log; the caller's transaction makes it part of the change it describes.
    @discardableResult
    static func append(_ name: String, _ data: JSON, session sessionID: String, now: Int64, in db: Connection) throws -> Int64 {
        try db.run(
            "INSERT INTO live_events (session_id, name, data, created_at) VALUES (?, ?, ?, ?)",
            sessionID, name, data.serializedString(), now
        )
        return db.lastInsertRowID
    }

    /// Events of a session after `id`, in order.
    static func events(of sessionID: String, after id: Int64, limit: Int, in db: Connection) throws -> [StoredEvent] {
        try db.query(
            "SELECT id, name, data FROM live_events WHERE session_id = ? AND id > ? ORDER BY id LIMIT ?",
            sessionID, id, limit
        ).map { StoredEvent(id: $0.int64("id"), name: $0.string("name"), data: $0.string("data")) }
    }

    /// The newest event id of a session, 0 when it has none.
    static func lastEventID(of sessionID: String, in db: Connection) throws -> Int64 {
        try db.scalar("SELECT COALESCE(MAX(id), 0) FROM live_events WHERE session_id = ?", sessionID) ?? 0
    }

    // MARK: - Messages

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

    static func isMuted(_ accountID: String, in sessionID: String, db: Connection) throws -> Bool {
        try db.queryOne("SELECT 1 AS one FROM live_mutes WHERE session_id = ? AND account_id = ?", sessionID, accountID) != nil
    }

    // MARK: - Coupon drops

    static func drop(_ id: String, in db: Connection) throws -> CouponDrop? {
        try db.queryOne("SELECT * FROM live_coupon_drops WHERE id = ?", id).map {
            CouponDrop(
                id: $0.string("id"), sessionID: $0.string("session_id"), campaignID: $0.string("campaign_id"),
                quantity: $0.int64("quantity"), claimed: $0.int64("claimed"), createdAt: $0.int64("created_at")
            )
        }
    }
}
