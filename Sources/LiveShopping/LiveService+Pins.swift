import Accounts
import Catalog
import Core
import Storage

extension LiveService {
    /// Pins a product while the session is live; a flash deal takes `flashQuantity` units from stock at once.
    ///
    /// - Parameters:
    ///   - flashPriceCents: the deal price, 1 to below the product's price; given together with `flashQuantity`.
    ///   - durationSeconds: the pin ends by itself after this long, and its unsold units go back.
    /// - Returns: the new pin.
    /// - Throws: `404` (session, or `product_id`), `403` (not its host), `400` (flash price not below the price),
    ///   `409 invalid_state` (not live),
    ///   `409 out_of_stock` (more flash units than in stock).
    public func pin(
        sessionID: String, by caller: Principal, productID: String, flashPriceCents: Int64?, flashQuantity: Int64?,
        durationSeconds: Int64?
    ) async throws -> Pin {
        let now = self.now
        let id = ids.next("pin")
        let endsAt = durationSeconds.map { now + $0 }
        let renderer = self.renderer
        let pin = try await database.write { db -> Pin in
            let s = try LiveStore.requireSession(sessionID, in: db)
            try Self.requireHost(s, caller)
            guard let product = try ProductStore.product(productID, in: db), product.active else {
                throw Failure("not_found", .notFound, "Product \(productID) was not found", fields: [
                    FieldError(field: "product_id", message: "does not exist"),
                ])
            }
            // A "deal" at or above the list price misleads the viewer (API.md §14); 1 cent is the floor.
            if let flashPriceCents, flashPriceCents >= product.priceCents {
                throw Failure.invalid("flash_price_cents", "must be below the product's price of \(product.priceCents) cents")
            }
            guard s.status == .live else { throw LiveError.invalidState("Pins need a live session; \(sessionID) is \(s.status.rawValue)") }
            if let flashQuantity {
                try ProductStore.takeStock(productID, quantity: flashQuantity, field: "flash_quantity", now: now, in: db)
            }
            try db.run(
                """
                INSERT INTO live_pins (id, session_id, product_id, flash_price_cents, flash_quantity, ends_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
                id, sessionID, productID, flashPriceCents, flashQuantity, endsAt, now
            )
            guard let pin = try LiveStore.pin(id, in: db) else { throw LiveError.pinNotFound(id) }
            try LiveStore.append(LiveEventName.pinAdded, renderer.json(pin), session: sessionID, now: now, in: db)
            return pin
        }
        if endsAt != nil {
            // The next tick re-reads the earliest expiry; cheaper to reason about than merging under races.
            nextExpiry.withLock { $0.generation += 1 }
        }
        hub.notify(sessionID)
        return pin
    }

    /// Ends a pin at the host's request; unsold flash units go back to stock.
    /// - Throws: `404` (session, or a pin that is not active in it), `403` (not its host).
    public func unpin(sessionID: String, pinID: String, by caller: Principal) async throws {
        let now = self.now
        try await database.write { db in
            let s = try LiveStore.requireSession(sessionID, in: db)
            try Self.requireHost(s, caller)
            guard let row = try db.queryOne("SELECT * FROM live_pins WHERE id = ? AND session_id = ?", pinID, sessionID),
                  row.optionalInt64("ended_at") == nil
            else { throw LiveError.pinNotFound(pinID) }
            try Self.endPin(row, now: now, in: db)
        }
        hub.notify(sessionID)
    }

    /// Marks a pin ended, returns its unsold flash units and logs `pin.removed`; does nothing if it already ended.
    static func endPin(_ row: Row, now: Int64, in db: Connection) throws {
        let id = row.string("id")
        guard try db.run("UPDATE live_pins SET ended_at = ? WHERE id = ? AND ended_at IS NULL", now, id) == 1 else { return }
        if let quantity = row.optionalInt64("flash_quantity") {
            let sold = try db.scalar("SELECT sold FROM live_pins WHERE id = ?", id) ?? 0
            if quantity > sold {
                try ProductStore.returnStock(row.string("product_id"), quantity: quantity - sold, now: now, in: db)
            }
        }
        try LiveStore.append(LiveEventName.pinRemoved, ["pin_id": .string(id)], session: row.string("session_id"), now: now, in: db)
    }

    /// Ends the pins whose `duration_seconds` ran out, also those that ran out while the server was down.
    func endExpiredPins() async {
        let now = self.now
        let generation = nextExpiry.withLock { state -> Int? in
            let due = state.loaded != state.generation || (state.at.map { $0 <= now } ?? false)
            return due ? state.generation : nil
        }
        guard let generation else { return }
        do {
            let (sessions, next) = try await database.write { db -> (Set<String>, Int64?) in
                var sessions = Set<String>()
                let rows = try db.query(
                    "SELECT * FROM live_pins WHERE ended_at IS NULL AND ends_at IS NOT NULL AND ends_at <= ?", now
                )
                for row in rows {
                    try Self.endPin(row, now: now, in: db)
                    sessions.insert(row.string("session_id"))
                }
                let next = try db.scalar("SELECT MIN(ends_at) FROM live_pins WHERE ended_at IS NULL AND ends_at IS NOT NULL")
                return (sessions, next)
            }
            nextExpiry.withLock { state in
                state.loaded = generation
                state.at = next
            }
            for id in sessions { hub.notify(id) }
        } catch {
            // The database is closing or busy; the next tick tries again.
        }
    }
}
