import Core
import Storage

/// Orders, refunds and the last order per account, kept by a consumer of the event log: the figures signals,
/// surveys and reports read without scanning orders. Its cursor advances in the transaction of its update, so each
/// event counts exactly once, crash or not (the crash tests check the counts against the orders table).
public enum OrderActivity {
    public static let consumerName = "order-activity"

    public static let migration = Migration(
        "0403_create_order_activity",
        """
        CREATE TABLE order_activity (
            account_id TEXT PRIMARY KEY,
            orders INTEGER NOT NULL DEFAULT 0,
            refunds INTEGER NOT NULL DEFAULT 0,
            last_order_at INTEGER
        );
        """
    )

    public static var consumer: EventConsumer {
        EventConsumer(name: consumerName, names: [OrderEvent.paid, OrderEvent.refunded]) { event, db in
            guard let account = event.data["account_id"]?.stringValue else { return }
            let paid = event.name == OrderEvent.paid
            try db.run(
                """
                INSERT INTO order_activity (account_id, orders, refunds, last_order_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (account_id) DO UPDATE SET orders = orders + excluded.orders,
                    refunds = refunds + excluded.refunds,
                    last_order_at = COALESCE(excluded.last_order_at, order_activity.last_order_at)
                """,
                account, paid ? 1 : 0, paid ? 0 : 1, paid ? event.createdAt : nil
            )
        }
    }

    /// `(orders, refunds)` counted for an account.
    public static func counts(of accountID: String, in db: Connection) throws -> (orders: Int64, refunds: Int64) {
        let row = try db.queryOne("SELECT orders, refunds FROM order_activity WHERE account_id = ?", accountID)
        return (row?.int64("orders") ?? 0, row?.int64("refunds") ?? 0)
    }
}
