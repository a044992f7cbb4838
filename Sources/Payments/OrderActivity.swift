import Core
import Storage

/// Orders, refunds and the last order per account, kept by a consumer of the event log: the figures signals,
/// surveys and reports read without scanning orders. Its cursor advances in the transaction of its update, so each
/// event counts exactly once, crash or not (the crash tests check the counts against the orders table).
public enum OrderActivity {
    public static let consumerName = "order-activity"

    public static var consumer: EventConsumer {
        EventConsumer(name: consumerName, names: [OrderEvent.paid, OrderEvent.refunded]) { event, db in
            guard let account = event.data["account_id"]?.stringValue else { return }
            let paid = event.name == OrderEvent.paid
            try OrderStore.countActivity(
                of: account, orders: paid ? 1 : 0, refunds: paid ? 0 : 1, lastOrderAt: paid ? event.createdAt : nil, in: db
            )
        }
    }

    /// `(orders, refunds)` counted for an account.
    public static func counts(of accountID: String, in db: any Transaction) throws -> (orders: Int64, refunds: Int64) {
        try OrderStore.activityCounts(of: accountID, in: db)
    }
}
