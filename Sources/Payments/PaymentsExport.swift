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
    public static func export(of accountID: String, in db: any Transaction) throws -> PaymentsExport {
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
