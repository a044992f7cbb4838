import Accounts
import Core
import Storage

extension LiveService {
    /// What happened in a session (API.md §9, §12).
    /// - Throws: `404`, `403` (neither its host nor an admin).
    public func stats(sessionID: String, by caller: Principal) async throws -> LiveStats {
        let stored = try await database.read { db -> LiveStats in
            let s = try LiveStore.requireSession(sessionID, in: db)
            try Self.requireHost(s, caller)
            let peak = try db.scalar("SELECT peak_viewers FROM live_sessions WHERE id = ?", sessionID) ?? 0
            let unique = try db.scalar("SELECT COUNT(*) FROM live_viewers WHERE session_id = ?", sessionID) ?? 0
            let messages = try db.scalar("SELECT COUNT(*) FROM live_messages WHERE session_id = ?", sessionID) ?? 0
            let orders = try db.queryOne(
                """
                SELECT COUNT(*) AS orders, COALESCE(SUM(units), 0) AS units,
                    COUNT(DISTINCT CASE WHEN EXISTS (
                        SELECT 1 FROM live_viewers v WHERE v.session_id = o.session_id AND v.viewer = o.account_id
                    ) THEN o.account_id END) AS buyers
                FROM live_orders o WHERE o.session_id = ?
                """,
                sessionID
            )
            return LiveStats(
                peakViewers: peak, uniqueViewers: unique, messages: messages, likes: s.likeCount,
                orders: orders?.int64("orders") ?? 0, unitsSold: orders?.int64("units") ?? 0,
                gmvCents: try Self.netSales(of: sessionID, in: db), buyers: orders?.int64("buyers") ?? 0
            )
        }
        var stats = stored
        stats.peakViewers = max(stats.peakViewers, hub.peak(of: sessionID))
        stats.likes = likes.withLock { $0[sessionID]?.total } ?? stats.likes
        return stats
    }

    /// Paid totals of the session's orders net of refunds, from Payments' orders table.
    static func netSales(of sessionID: String, in db: Connection) throws -> Int64 {
        try db.scalar(
            """
            SELECT COALESCE(SUM(o.total_cents - o.refunded_cents), 0)
            FROM orders o JOIN live_orders l ON l.order_id = o.id WHERE l.session_id = ?
            """,
            sessionID
        ) ?? 0
    }
}
