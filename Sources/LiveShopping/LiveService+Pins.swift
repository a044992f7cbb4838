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
    ///   - auction: makes it an auction pin (API.md §22, never with a flash deal): one unit leaves stock, and the
    ///     scheduler closes the auction at its end.
    /// - Returns: the new pin.
    /// - Throws: `404` (session, or `product_id`), `403` (not its host), `400` (flash price not below the price),
    ///   `409 invalid_state` (not live),
    ///   `409 out_of_stock` (more flash units than in stock, or no unit for an auction).
    public func pin(
        sessionID: String, by caller: Principal, productID: String, flashPriceCents: Int64?, flashQuantity: Int64?,
        durationSeconds: Int64?, auction: AuctionTerms? = nil
    ) async throws -> Pin {
        let now = self.now
        let id = ids.next("pin")
        let endsAt = durationSeconds.map { now + $0 }
        let auctionEndsAt = auction.map { now + $0.durationSeconds }
        let renderer = self.renderer
        let pin = try await database.write { db -> Pin in
            let s = try LiveStore.requireSession(sessionID, in: db)
            try Self.requireHost(s, caller)
            guard let product = try ProductStore.product(productID, in: db), product.active else {
                throw LiveError.productNotFound(productID)
            }
            // A "deal" at or above the list price misleads the viewer (API.md §14); 1 cent is the floor.
            if let flashPriceCents, flashPriceCents >= product.priceCents {
                throw Failure.invalid("flash_price_cents", "must be below the product's price of \(product.priceCents) cents")
            }
            guard s.status == .live else { throw LiveError.invalidState("Pins need a live session; \(sessionID) is \(s.status.rawValue)") }
            if let flashQuantity {
                try ProductStore.takeStock(productID, quantity: flashQuantity, field: "flash_quantity", now: now, in: db)
            }
            if auction != nil { try ProductStore.takeStock(productID, quantity: 1, field: "product_id", now: now, in: db) }
            try LiveStore.insertPin(
                id: id, sessionID: sessionID, productID: productID, flashPriceCents: flashPriceCents,
                flashQuantity: flashQuantity, endsAt: endsAt, now: now, in: db
            )
            if let auction, let auctionEndsAt {
                try LiveStore.insertAuction(
                    pinID: id, sessionID: sessionID, productID: productID, startingBidCents: auction.startingBidCents,
                    incrementCents: auction.incrementCents, endsAt: auctionEndsAt, in: db
                )
                try Scheduler.schedule(Self.auctionCloseJob, key: id, at: auctionEndsAt, in: db)
            }
            guard let pin = try LiveStore.pin(id, in: db) else { throw LiveError.pinNotFound(id) }
            try LiveStore.append(LiveEventName.pinAdded, renderer.json(pin), session: sessionID, now: now, in: db)
            try EventLog.append(
                LiveDomainEvent.pinAdded, stream: LiveStore.domainStream(sessionID),
                data: [
                    "pin_id": .string(id), "session_id": .string(sessionID), "product_id": .string(productID),
                    "flash_price_cents": JSON(flashPriceCents), "flash_quantity": JSON(flashQuantity),
                    "ends_at": JSON(endsAt ?? auctionEndsAt), "auction": JSON(auction != nil),
                ],
                now: now, in: db
            )
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
    /// - Throws: `404` (session, or a pin that is not active in it), `403` (not its host), `409 invalid_state` (an
    ///   open auction).
    public func unpin(sessionID: String, pinID: String, by caller: Principal) async throws {
        let now = self.now
        try await database.write { db in
            let s = try LiveStore.requireSession(sessionID, in: db)
            try Self.requireHost(s, caller)
            guard let pin = try LiveStore.pinRecord(pinID, session: sessionID, in: db), pin.endedAt == nil else {
                throw LiveError.pinNotFound(pinID)
            }
            // Bids hold money and the unit is promised to the leader: an open auction ends only by closing (§24).
            if try LiveStore.isOpenAuction(pinID, in: db) {
                throw LiveError.invalidState("Pin \(pinID) is an open auction; it closes at its end or with the session")
            }
            try Self.endPin(pin, now: now, in: db)
        }
        hub.notify(sessionID)
    }

    /// Marks a pin ended, returns its unsold flash units and logs `pin.removed`; does nothing if it already ended.
    static func endPin(_ pin: PinRecord, now: Int64, in db: any Transaction) throws {
        guard try LiveStore.markPinEnded(pin.id, now: now, in: db) else { return }
        if let quantity = pin.flashQuantity {
            // Read again: a sale may have committed since the record was read.
            let sold = try LiveStore.soldUnits(of: pin.id, in: db)
            if quantity > sold {
                try ProductStore.returnStock(pin.productID, quantity: quantity - sold, now: now, in: db)
            }
        }
        try LiveStore.append(LiveEventName.pinRemoved, ["pin_id": .string(pin.id)], session: pin.sessionID, now: now, in: db)
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
                for pin in try LiveStore.expiredPins(now: now, in: db) {
                    try Self.endPin(pin, now: now, in: db)
                    sessions.insert(pin.sessionID)
                }
                return (sessions, try LiveStore.nextPinExpiry(in: db))
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
