import Core
import Storage

extension LiveStore {
    /// Records an order placed in a session. Invariant: one row per order, by the primary key; a replayed
    /// checkout records nothing twice (portable `ON CONFLICT DO NOTHING`).
    static func insertOrder(
        _ orderID: String, sessionID: String, accountID: String, units: Int64, now: Int64, in db: any Transaction
    ) throws {
        try db.run(
            """
            INSERT INTO live_orders (order_id, session_id, account_id, units, created_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (order_id) DO NOTHING
            """,
            orderID, sessionID, accountID, units, now
        )
    }

    /// What the database knows of a session's stats (API.md §9, §12); the service adds what only memory knows.
    static func stats(of session: LiveSession, in db: any Transaction) throws -> LiveStats {
        let id = session.id
        let peak = try db.scalar("SELECT peak_viewers FROM live_sessions WHERE id = ?", id) ?? 0
        let unique = try db.scalar("SELECT COUNT(*) FROM live_viewers WHERE session_id = ?", id) ?? 0
        let messages = try db.scalar("SELECT COUNT(*) FROM live_messages WHERE session_id = ?", id) ?? 0
        let orders = try db.queryOne(
            """
            SELECT COUNT(*) AS orders, COALESCE(SUM(units), 0) AS units,
                COUNT(DISTINCT CASE WHEN EXISTS (
                    SELECT 1 FROM live_viewers v WHERE v.session_id = o.session_id AND v.viewer = o.account_id
                ) THEN o.account_id END) AS buyers
            FROM live_orders o WHERE o.session_id = ?
            """,
            id
        )
        return LiveStats(
            peakViewers: peak, uniqueViewers: unique, messages: messages, likes: session.likeCount,
            orders: orders?.int64("orders") ?? 0, unitsSold: orders?.int64("units") ?? 0,
            gmvCents: try netSales(of: id, in: db), buyers: orders?.int64("buyers") ?? 0
        )
    }

    /// Paid totals of the session's orders net of refunds, from Payments' orders table.
    static func netSales(of sessionID: String, in db: any Transaction) throws -> Int64 {
        try db.scalar(
            """
            SELECT COALESCE(SUM(o.total_cents - o.refunded_cents), 0)
            FROM orders o JOIN live_orders l ON l.order_id = o.id WHERE l.session_id = ?
            """,
            sessionID
        ) ?? 0
    }
}
