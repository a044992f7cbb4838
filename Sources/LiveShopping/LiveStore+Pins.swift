import Catalog
import Core
import Storage

/// A pin as stored, without its product: what the rules of ending, expiry and flash sales look at.
struct PinRecord: Sendable, Equatable {
    var id: String
    var sessionID: String
    var productID: String
    var flashPriceCents: Int64?
    var flashQuantity: Int64?
    var sold: Int64
    var endsAt: Int64?
    var endedAt: Int64?

    /// Whether the pin has ended (by `DELETE`, expiry sweep or session end) or its time ran out.
    func isEnded(now: Int64) -> Bool {
        if endedAt != nil { return true }
        if let endsAt, endsAt <= now { return true }
        return false
    }
}

extension LiveStore {
    static let pinSelect = "SELECT * FROM live_pins"

    /// The pins of a session that are active at `now`, oldest first, with their products as they are now.
    static func activePins(of sessionID: String, now: Int64, in db: any Transaction) throws -> [Pin] {
        try db.query(
            """
            \(pinSelect) WHERE session_id = ? AND ended_at IS NULL AND (ends_at IS NULL OR ends_at > ?)
            ORDER BY created_at, id
            """,
            sessionID, now
        ).compactMap { try pin(from: $0, in: db) }
    }

    static func pin(_ id: String, in db: any Transaction) throws -> Pin? {
        guard let row = try db.queryOne("\(pinSelect) WHERE id = ?", id) else { return nil }
        return try pin(from: row, in: db)
    }

    static func pin(from row: Row, in db: any Transaction) throws -> Pin? {
        guard let product = try ProductStore.product(row.string("product_id"), in: db) else { return nil }
        let auction = try LiveStore.auction(of: row.string("id"), in: db)
        return Pin(
            id: row.string("id"), sessionID: row.string("session_id"), product: product,
            flashPriceCents: row.optionalInt64("flash_price_cents"), flashQuantity: row.optionalInt64("flash_quantity"),
            sold: row.int64("sold"), endsAt: auction?.endsAt ?? row.optionalInt64("ends_at"),
            createdAt: row.int64("created_at"), auction: auction
        )
    }

    static func insertPin(
        id: String, sessionID: String, productID: String, flashPriceCents: Int64?, flashQuantity: Int64?,
        endsAt: Int64?, now: Int64, in db: any Transaction
    ) throws {
        try db.run(
            """
            INSERT INTO live_pins (id, session_id, product_id, flash_price_cents, flash_quantity, ends_at, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            id, sessionID, productID, flashPriceCents, flashQuantity, endsAt, now
        )
    }

    /// A pin of that session, ended or not; a pin of another session is `nil` as well.
    static func pinRecord(_ id: String, session sessionID: String, in db: any Transaction) throws -> PinRecord? {
        try db.queryOne("\(pinSelect) WHERE id = ? AND session_id = ?", id, sessionID).map(pinRecord(from:))
    }

    /// The pins of a session that have not been ended, even those whose time ran out.
    static func unendedPins(of sessionID: String, in db: any Transaction) throws -> [PinRecord] {
        try db.query("\(pinSelect) WHERE session_id = ? AND ended_at IS NULL", sessionID).map(pinRecord(from:))
    }

    /// Pins of every session whose time ran out at `now` and that were not ended yet (index `live_pins_expiring`).
    static func expiredPins(now: Int64, in db: any Transaction) throws -> [PinRecord] {
        try db.query(
            "\(pinSelect) WHERE ended_at IS NULL AND ends_at IS NOT NULL AND ends_at <= ?", now
        ).map(pinRecord(from:))
    }

    /// The earliest `ends_at` of a pin not ended yet, `nil` when none has a duration.
    static func nextPinExpiry(in db: any Transaction) throws -> Int64? {
        try db.scalar("SELECT MIN(ends_at) FROM live_pins WHERE ended_at IS NULL AND ends_at IS NOT NULL")
    }

    /// Marks a pin ended. Invariant: ended once; the guarded UPDATE lets one of two racing ends through.
    /// - Returns: whether this call ended it.
    static func markPinEnded(_ id: String, now: Int64, in db: any Transaction) throws -> Bool {
        try db.run("UPDATE live_pins SET ended_at = ? WHERE id = ? AND ended_at IS NULL", now, id) == 1
    }

    /// Flash units of a pin sold so far, as committed now.
    static func soldUnits(of pinID: String, in db: any Transaction) throws -> Int64 {
        try db.scalar("SELECT sold FROM live_pins WHERE id = ?", pinID) ?? 0
    }

    /// Sells `quantity` flash units of a pin. Invariant: never more than `flash_quantity` sold; the guard in the
    /// UPDATE holds under any concurrency.
    /// - Returns: `false` when not enough units are left.
    static func sellFlashUnits(_ quantity: Int64, of pinID: String, in db: any Transaction) throws -> Bool {
        try db.run(
            "UPDATE live_pins SET sold = sold + ? WHERE id = ? AND sold + ? <= flash_quantity", quantity, pinID, quantity
        ) == 1
    }

    private static func pinRecord(from row: Row) -> PinRecord {
        PinRecord(
            id: row.string("id"), sessionID: row.string("session_id"), productID: row.string("product_id"),
            flashPriceCents: row.optionalInt64("flash_price_cents"), flashQuantity: row.optionalInt64("flash_quantity"),
            sold: row.int64("sold"), endsAt: row.optionalInt64("ends_at"), endedAt: row.optionalInt64("ended_at")
        )
    }
}
