import Accounts
import Core
import Payments
import Storage

/// In-stream checkout: `POST /v1/orders` with `live_session_id` and `pin_id` prices through the pin and takes its
/// flash units inside the order's transaction.
extension LiveService: LiveCheckoutHook {
    public func admit(
        sessionID: String, pinID: String?, productIDs: [String], now: Int64, in db: any Transaction
    ) throws -> String? {
        guard let s = try LiveStore.session(sessionID, in: db) else {
            throw Failure(
                "not_found", .notFound, "Live session \(sessionID) was not found",
                fields: [FieldError(field: "live_session_id", message: "does not exist")]
            )
        }
        var pinnedProduct: String?
        if let pinID {
            // A pin of another session is as unknown here as one that never existed.
            guard let pin = try LiveStore.pinRecord(pinID, session: sessionID, in: db) else {
                throw Failure(
                    "not_found", .notFound, "Pin \(pinID) was not found in session \(sessionID)",
                    fields: [FieldError(field: "pin_id", message: "is not a pin of this live session")]
                )
            }
            let product = pin.productID
            // Without this, any order could claim a pin and count as live sales (conversion above 1).
            guard productIDs.contains(product) else {
                throw Failure.invalid("pin_id", "the pinned product \(product) is not among the items")
            }
            // An ended pin answers sold_out even once its session ended (API.md §12).
            guard !pin.isEnded(now: now) else { throw LiveError.soldOut("Pin \(pinID) has ended") }
            // An auction's unit goes to the highest bidder when it closes; bought through the pin it would leave at
            // the list price with nobody's bid counted (API.md §22).
            if try LiveStore.isAuction(pinID, in: db) {
                throw Failure(
                    "invalid_state", .conflict, "Pin \(pinID) is an auction: bid on it instead",
                    fields: [FieldError(field: "pin_id", message: "is an auction pin; place a bid")]
                )
            }
            pinnedProduct = product
        }
        guard s.status == .live else { throw LiveError.invalidState("Session \(sessionID) is \(s.status.rawValue), not live") }
        return pinnedProduct
    }

    public func flashUnitPrice(
        sessionID: String, pinID: String, productID: String, quantity: Int64, now: Int64, in db: any Transaction
    ) throws -> Int64? {
        guard let pin = try LiveStore.pinRecord(pinID, session: sessionID, in: db) else {
            throw LiveError.pinNotFound(pinID)
        }
        guard pin.productID == productID, let price = pin.flashPriceCents, let flashQuantity = pin.flashQuantity
        else { return nil }
        // The guard in the UPDATE is what stops a flash deal from overselling, whatever the concurrency.
        guard try LiveStore.sellFlashUnits(quantity, of: pinID, in: db) else {
            let left = flashQuantity - pin.sold
            throw LiveError.soldOut(left == 0 ? "Pin \(pinID) is sold out" : "Only \(left) flash units left of pin \(pinID)")
        }
        let remaining = flashQuantity - pin.sold - quantity
        try LiveStore.append(
            LiveEventName.pinUpdated, ["pin_id": .string(pinID), "remaining": .int(remaining)],
            session: sessionID, now: now, in: db
        )
        return price
    }

    public func recordOrder(
        sessionID: String, orderID: String, accountID: String, lines: [(productID: String, quantity: Int64)],
        now: Int64, in db: any Transaction
    ) throws {
        _ = try LiveStore.requireSession(sessionID, in: db)
        let firstName = try Self.firstName(of: accountID, in: db)
        try LiveStore.insertOrder(
            orderID, sessionID: sessionID, accountID: accountID, units: lines.reduce(0) { $0 + $1.quantity }, now: now,
            in: db
        )
        for line in lines {
            try LiveStore.append(
                LiveEventName.orderPlaced,
                ["product_id": .string(line.productID), "quantity": .int(line.quantity), "display_name": .string(firstName)],
                session: sessionID, now: now, in: db
            )
        }
    }
}
