import Accounts
import Catalog
import Core
import Storage

extension OrderService {
    /// Refunds in its own (keyed) transaction; see ``refund(orderID:lines:reason:requestedBy:isStaff:now:in:)``.
    public func refund(
        orderID: String, lines: [RefundLine]?, reason: String, requestedBy accountID: String, isStaff: Bool,
        key: IdempotencyKey? = nil, answering: Answering<Refund> = .unkeyed
    ) async throws -> Keyed<Refund> {
        return try await database.write(keyed: key, clock: clock, answering: answering) { [self] now, db in
            try refund(orderID: orderID, lines: lines, reason: reason, requestedBy: accountID, isStaff: isStaff, now: now, in: db)
        }
    }

    /// Refunds units of an order inside the caller's write transaction: the paid share of those units goes back to
    /// the buyer's wallet, the units back to stock. The ledger reverses the payment pro rata: merchant revenue gives
    /// back the units' prices, marketing spend gets back their discount share, the wallet receives the difference.
    ///
    /// - Parameters:
    ///   - lines: the units to refund, or `nil` for everything not yet refunded.
    ///   - isStaff: merchants and admins may refund at any time; buyers within 14 days of delivery, or any time
    ///     before it.
    /// - Throws: `404` for an order the caller may not see, `400` for a product not in the order,
    ///   `422 refund_window_closed`, `409 already_refunded`.
    public func refund(
        orderID: String, lines: [RefundLine]?, reason: String, requestedBy accountID: String, isStaff: Bool,
        now: Int64, in db: any Transaction
    ) throws -> Refund {
        // What is left to refund is read here and written below: on PostgreSQL the order's row orders two refunds of
        // one order (SQLite's single writer already does).
        try db.lockOwner(in: "orders", key: orderID)
        guard let order = try OrderStore.order(orderID, in: db), isStaff || order.accountID == accountID else {
            throw PaymentsError.orderNotFound(orderID)
        }
        var picked: [(line: Int, quantity: Int64)] = []
        if let lines {
            for line in lines {
                guard let item = order.items.first(where: { $0.productID == line.productID }) else {
                    throw Failure.invalid(line.field + ".product_id", "is not in this order")
                }
                picked.append((item.line, line.quantity))
            }
        } else {
            picked = order.items.filter { $0.refundedQuantity < $0.quantity }
                .map { ($0.line, $0.quantity - $0.refundedQuantity) }
        }
        // The buyer's 14 days run from delivery (API.md §15, the EU right of withdrawal); undelivered, any time.
        if !isStaff, let deliveredAt = order.fulfillment.deliveredAt, now - deliveredAt > Self.refundWindowSeconds {
            throw PaymentsError.refundWindowClosed(orderID: orderID)
        }
        guard !picked.isEmpty else { throw PaymentsError.alreadyRefunded(orderID: orderID, field: nil) }
        for (index, pick) in picked.enumerated() {
            let item = order.items[pick.line]
            guard pick.quantity <= item.quantity - item.refundedQuantity else {
                throw PaymentsError.alreadyRefunded(orderID: orderID, field: lines.map { $0[index].field + ".quantity" })
            }
        }

        let shares = RefundShares(
            lines: order.items.map { ($0.unitPriceCents, $0.quantity) }, discountCents: order.discountCents
        )
        var refundItems: [Refund.Item] = []
        var revenueBack: Int64 = 0
        var discountBack: Int64 = 0
        for pick in picked {
            let item = order.items[pick.line]
            let gross = item.unitPriceCents * pick.quantity
            let discount = shares.discount(line: pick.line, from: item.refundedQuantity, count: pick.quantity)
            revenueBack += gross
            discountBack += discount
            refundItems.append(Refund.Item(productID: item.productID, quantity: pick.quantity, amountCents: gross - discount))
            try ProductStore.returnStock(item.productID, quantity: pick.quantity, now: now, in: db)
        }
        let amount = revenueBack - discountBack
        let refund = Refund(
            id: ids.next("rfd"), orderID: orderID, amountCents: amount, reason: reason, items: refundItems, createdAt: now
        )
        var entries = [
            // An erased account has no wallet to receive money: the ledger owes it instead (API.md §24).
            LedgerEntry(
                account: try AccountService.isErased(order.accountID, in: db) ? Ledger.payable : Ledger.wallet(order.accountID),
                amountCents: amount, kind: "refund", reference: refund.id
            ),
            LedgerEntry(account: Ledger.merchantRevenue, amountCents: -revenueBack, kind: "refund", reference: refund.id),
        ]
        if discountBack > 0 {
            entries.append(
                LedgerEntry(account: Ledger.marketingSpend, amountCents: discountBack, kind: "refund", reference: refund.id)
            )
        }
        try Ledger.post(id: ids.next("txn"), kind: "refund", entries: entries, now: now, in: db)
        _ = try OrderStore.recordRefund(of: order, lines: picked, amountCents: amount, in: db)
        try OrderStore.insert(refund, requestedBy: accountID, lines: picked.map(\.line), in: db)
        // For consumers (the refund survey names the refund): the account stream shows only order.updated.
        try EventLog.append(
            OrderEvent.refundCreated, stream: EventLog.accountStream(order.accountID),
            data: [
                "refund_id": .string(refund.id), "order_id": .string(orderID), "account_id": .string(order.accountID),
                "amount_cents": .int(amount),
            ],
            now: now, in: db
        )
        if let updated = try OrderStore.order(orderID, in: db) {
            try EventLog.append(
                OrderEvent.refunded, stream: EventLog.accountStream(order.accountID), data: renderer.json(updated),
                now: now, in: db
            )
        }
        return refund
    }
}
