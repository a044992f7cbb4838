import Core
import Storage

/// One pin of a session with the sales that carry its id.
struct ChapterRow: Sendable, Equatable {
    var pinID: String
    var productID: String
    var title: String
    var createdAt: Int64
    var endsAt: Int64?
    var endedAt: Int64?
    var orders: Int64
    var units: Int64
    var gmvCents: Int64
}

extension LiveStore {
    /// The session's pins in the order they were pinned, each with the orders carrying its `pin_id` (Payments'
    /// tables; index `orders_by_live_session`), units and totals net of refunds.
    static func chapters(of sessionID: String, in db: any Transaction) throws -> [ChapterRow] {
        // Pins of one second keep their insert order by the rowid (PostgreSQL: a serial column).
        try db.query(
            """
            SELECT p.id, p.product_id, pr.title, p.created_at, p.ends_at, p.ended_at,
                COUNT(o.id) AS orders,
                COALESCE(SUM(o.total_cents - o.refunded_cents), 0) AS gmv,
                COALESCE(SUM((SELECT SUM(i.quantity - i.refunded_quantity) FROM order_items i WHERE i.order_id = o.id)), 0)
                    AS units
            FROM live_pins p
            JOIN products pr ON pr.id = p.product_id
            LEFT JOIN orders o ON o.live_session_id = p.session_id AND o.pin_id = p.id
            WHERE p.session_id = ?
            GROUP BY p.id, pr.title
            ORDER BY p.created_at, p.rowid
            """,
            sessionID
        ).map { row in
            ChapterRow(
                pinID: row.string("id"), productID: row.string("product_id"), title: row.string("title"),
                createdAt: row.int64("created_at"), endsAt: row.optionalInt64("ends_at"),
                endedAt: row.optionalInt64("ended_at"), orders: row.int64("orders"), units: row.int64("units"),
                gmvCents: row.int64("gmv")
            )
        }
    }
}
