import Core
import Storage

/// What an account's data export holds from Payments (API.md §16), read in the caller's transaction.
public struct PaymentsExport: Sendable {
    public var orders: [Order]
    public var refunds: [Refund]
    public var shipments: [Shipment]
    public var walletTransactions: [WalletTransaction]
}

extension OrderService {
    public static func export(of accountID: String, in db: Connection) throws -> PaymentsExport {
        var orders: [Order] = []
        var page = PageRequest(limit: 100)
        repeat {
            let result = try OrderStore.orders(of: accountID, page: page, in: db)
            orders += result.items
            page.cursor = result.nextCursor
        } while page.cursor != nil
        var transactions: [WalletTransaction] = []
        page = PageRequest(limit: 100)
        repeat {
            let result = try Ledger.walletTransactions(of: accountID, page: page, in: db)
            transactions += result.items
            page.cursor = result.nextCursor
        } while page.cursor != nil
        return PaymentsExport(
            orders: orders, refunds: try OrderStore.refunds(ofAccount: accountID, in: db),
            shipments: try ShipmentStore.shipments(ofAccount: accountID, in: db), walletTransactions: transactions
        )
    }
}

extension OrderStore {
    /// Refunds of an account's orders, newest first.
    static func refunds(ofAccount accountID: String, in db: Connection) throws -> [Refund] {
        try db.query(
            """
            SELECT r.* FROM refunds r JOIN orders o ON o.id = r.order_id WHERE o.account_id = ?
            ORDER BY r.created_at DESC, r.id DESC
            """,
            accountID
        ).map { row in
            let items = try db.query(
                "SELECT product_id, quantity, amount_cents FROM refund_items WHERE refund_id = ? ORDER BY line", row.string("id")
            ).map { Refund.Item(productID: $0.string("product_id"), quantity: $0.int64("quantity"), amountCents: $0.int64("amount_cents")) }
            return Refund(
                id: row.string("id"), orderID: row.string("order_id"), amountCents: row.int64("amount_cents"),
                reason: row.string("reason"), items: items, createdAt: row.int64("created_at")
            )
        }
    }
}
