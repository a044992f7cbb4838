import Catalog
import Core
import Storage

extension OrderService {
    /// A paid order of one unit from money held in escrow (a won auction): `amountCents` of the account's hold for
    /// `reference` becomes the payment, the rest of that hold is released, inside the caller's transaction.
    ///
    /// - Throws: `404` for an unknown product.
    public static func placeFromHold(
        reference: String, accountID: String, productID: String, amountCents: Int64, liveSessionID: String?,
        pinID: String?, ids: IDGenerator, renderer: any CommerceRenderer, now: Int64, in db: Connection
    ) throws -> Order {
        guard let product = try ProductStore.product(productID, in: db) else { throw Failure.notFound("Product \(productID)") }
        let orderID = ids.next("ord")
        try Escrow.capture(reference: reference, of: accountID, amount: amountCents, paymentID: ids.next("txn"), now: now, in: db)
        try Escrow.release(reference: reference, of: accountID, amount: nil, ids: ids, now: now, in: db)
        let item = Order.Item(
            line: 0, productID: productID, title: product.title, quantity: 1, unitPriceCents: amountCents, flash: false,
            refundedQuantity: 0
        )
        let order = Order(
            id: orderID, accountID: accountID, status: .paid, items: [item], subtotalCents: amountCents, discountCents: 0,
            totalCents: amountCents, refundedCents: 0, couponID: nil, liveSessionID: liveSessionID, pinID: pinID,
            createdAt: now
        )
        try OrderStore.insert(order, in: db)
        try EventLog.append(
            OrderEvent.paid, stream: EventLog.accountStream(accountID), data: renderer.json(order), now: now, in: db
        )
        return order
    }
}
