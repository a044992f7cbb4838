import Accounts
import Core
import Storage

extension OrderService {
    /// Places a paid order whose money is already held in escrow (a completed team buy, a won auction), inside the
    /// caller's write transaction: the account's hold for `reference` becomes the payment (escrow to merchant revenue,
    /// no new wallet line, API.md §13) and what is left of that hold is released (a won auction held the winner's
    /// maximum; a team member's hold is the price exactly). The order is an ordinary one afterwards — shipments,
    /// refunds within 14 days of delivery, events and the placement hook (referrals, API.md §20) as for a checkout.
    ///
    /// The units must have left stock already (the caller reserved them); a refund returns them as for any order.
    ///
    /// - Parameters:
    ///   - reference: the hold's reference (the team or pin id).
    ///   - items: the order's lines; their total is captured from the hold.
    ///   - address: a copy of the buyer's address, or nil.
    ///   - liveSessionID: the session of a won auction, which the order carries with `pinID`.
    /// - Returns: the paid order.
    /// - Throws: `LedgerImbalance` when the hold holds less than the total (a bug, never a client's error), and what
    ///   the placement hook throws.
    public func placeOrder(
        capturingHold reference: String, for accountID: String, items: [Order.Item], address: Address?,
        liveSessionID: String? = nil, pinID: String? = nil, now: Int64, in db: any Transaction
    ) throws -> Order {
        let orderID = ids.next("ord")
        let total = items.reduce(0) { $0 + $1.lineTotalCents }
        try Escrow.capture(reference: reference, of: accountID, amount: total, paymentID: ids.next("txn"), now: now, in: db)
        try Escrow.release(reference: reference, of: accountID, ids: ids, now: now, in: db)
        let order = Order(
            id: orderID, accountID: accountID, status: .paid, items: items, subtotalCents: total, discountCents: 0,
            totalCents: total, refundedCents: 0, couponID: nil, liveSessionID: liveSessionID, pinID: pinID,
            createdAt: now, shippingAddress: address
        )
        try OrderStore.insert(order, in: db)
        try EventLog.append(
            OrderEvent.paid, stream: EventLog.accountStream(accountID), data: renderer.json(order), now: now, in: db
        )
        try placement?.orderPlaced(order, shareID: nil, now: now, in: db)
        return order
    }
}
