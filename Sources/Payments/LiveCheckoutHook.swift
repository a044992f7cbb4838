import Storage

/// What checkout needs from live shopping, which sits above Payments on the feature ladder (STYLE.md §2.3): Payments
/// declares it, LiveShopping implements it, App wires it.
public protocol LiveCheckoutHook: Sendable {
    /// Checks that an order may be placed in a live session, before any stock moves (API.md §14).
    ///
    /// - Parameter productIDs: the order's products, so a pin can be matched to one of them.
    /// - Returns: the product of `pinID`, whose line is priced through ``flashUnitPrice``.
    /// - Throws: `404` naming `live_session_id` or `pin_id` (a pin of another session), `400` naming `pin_id` when its
    ///   product is not among `productIDs`, `409 sold_out` when the pin ended, `409 invalid_state` naming `pin_id`
    ///   when it is an auction pin (sold only by bids), `409 invalid_state` when the session is not live.
    func admit(sessionID: String, pinID: String?, productIDs: [String], now: Int64, in db: any Transaction) throws -> String?

    /// Prices a line bought through a pin and takes the units from the pin's flash allotment, inside the checkout
    /// transaction.
    ///
    /// - Returns: the flash unit price, or `nil` when the pin has no flash deal for `productID` (normal price and
    ///   normal stock apply).
    /// - Throws: `409 sold_out` when the pin has fewer than `quantity` units left (``admit`` checked the rest).
    func flashUnitPrice(
        sessionID: String, pinID: String, productID: String, quantity: Int64, now: Int64, in db: any Transaction
    ) throws -> Int64?

    /// Records a paid order in the session (its `order.placed` event and the stats), inside the checkout
    /// transaction.
    ///
    /// - Throws: `404 not_found` when the session does not exist.
    func recordOrder(
        sessionID: String, orderID: String, accountID: String, lines: [(productID: String, quantity: Int64)],
        now: Int64, in db: any Transaction
    ) throws

    /// Called after the checkout committed, so the session's new events reach its open streams.
    func didCommit(sessionID: String)
}
