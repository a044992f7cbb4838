import Core
import Storage

/// The SQL of `order_activity` (``OrderActivity``) and of the retention of orders and refunds.
extension OrderStore {
    // MARK: - Activity

    /// Adds an event's counts to the account's row, creating it at the first event.
    static func countActivity(
        of accountID: String, orders: Int64, refunds: Int64, lastOrderAt: Int64?, in db: any Transaction
    ) throws {
        // Invariant: one row per account — the primary key and ON CONFLICT add up concurrent events.
        try db.run(
            """
            INSERT INTO order_activity (account_id, orders, refunds, last_order_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (account_id) DO UPDATE SET orders = order_activity.orders + excluded.orders,
                refunds = order_activity.refunds + excluded.refunds,
                last_order_at = COALESCE(excluded.last_order_at, order_activity.last_order_at)
            """,
            accountID, orders, refunds, lastOrderAt
        )
    }

    /// `(orders, refunds)` counted for an account; zeros before its first event.
    static func activityCounts(of accountID: String, in db: any Transaction) throws -> (orders: Int64, refunds: Int64) {
        let row = try db.queryOne("SELECT orders, refunds FROM order_activity WHERE account_id = ?", accountID)
        return (row?.int64("orders") ?? 0, row?.int64("refunds") ?? 0)
    }

    // MARK: - Retention

    /// Orders before `cutoff` lose their shipping address, refunds their reason text.
    /// - Returns: how many orders and refunds are affected (changed unless `dryRun`).
    static func anonymizeVouchers(before cutoff: Int64, dryRun: Bool, in db: any Transaction) throws -> Int64 {
        let orders = try db.scalar(
            "SELECT COUNT(*) FROM orders WHERE created_at < ? AND shipping_address IS NOT NULL", cutoff
        ) ?? 0
        let refunds = try db.scalar("SELECT COUNT(*) FROM refunds WHERE created_at < ? AND reason <> ''", cutoff) ?? 0
        if !dryRun {
            try db.run("UPDATE orders SET shipping_address = NULL WHERE created_at < ?", cutoff)
            try db.run("UPDATE refunds SET reason = '' WHERE created_at < ?", cutoff)
        }
        return orders + refunds
    }
}
