import Core
import Storage

/// The attribution trail's reads of other modules' rows (live sessions and pins, coupons, game plays, inbox items,
/// refunds), kept in one place; the coupon lookups use the indexes of migration 1202.
enum AttributionStore {
    static func liveSessionCreatedAt(_ id: String, in db: any Transaction) throws -> Int64? {
        try db.scalar("SELECT created_at FROM live_sessions WHERE id = ?", id)
    }

    static func pinCreatedAt(_ id: String, in db: any Transaction) throws -> Int64? {
        try db.scalar("SELECT created_at FROM live_pins WHERE id = ?", id)
    }

    static func coupon(_ id: String, in db: any Transaction) throws -> (source: String, accountID: String, createdAt: Int64)? {
        try db.queryOne("SELECT source, account_id, created_at FROM coupons WHERE id = ?", id).map {
            ($0.string("source"), $0.string("account_id"), $0.int64("created_at"))
        }
    }

    static func gamePlay(awarding couponID: String, in db: any Transaction) throws -> (id: String, at: Int64)? {
        try db.queryOne("SELECT id, created_at FROM game_plays WHERE coupon_id = ? LIMIT 1", couponID).map {
            ($0.string("id"), $0.int64("created_at"))
        }
    }

    /// The live session whose coupon drop gave the coupon.
    static func dropSession(awarding couponID: String, in db: any Transaction) throws -> (id: String, at: Int64)? {
        try db.queryOne(
            """
            SELECT s.id, s.created_at FROM live_drop_claims c JOIN live_coupon_drops d ON d.id = c.drop_id
            JOIN live_sessions s ON s.id = d.session_id WHERE c.coupon_id = ? LIMIT 1
            """,
            couponID
        ).map { ($0.string("id"), $0.int64("created_at")) }
    }

    /// The inbox item a signal sent with the coupon (its data names `coupon_id`), among the account's items.
    /// Engine-specific: the data's key is read by ``SQLDialect/jsonText(_:key:)``.
    static func signalItem(carrying couponID: String, of accountID: String, in db: any Transaction) throws -> (id: String, rule: String, at: Int64)? {
        try db.queryOne(
            """
            SELECT id, rule, created_at FROM inbox_items
            WHERE account_id = ? AND \(db.dialect.jsonText("data", key: "coupon_id")) = ? ORDER BY created_at LIMIT 1
            """,
            accountID, couponID
        ).map { ($0.string("id"), $0.string("rule"), $0.int64("created_at")) }
    }

    static func refunds(of orderID: String, in db: any Transaction) throws -> [OrderAttribution.RefundStep] {
        try db.query("SELECT id, amount_cents, created_at FROM refunds WHERE order_id = ? ORDER BY created_at, id", orderID).map {
            OrderAttribution.RefundStep(id: $0.string("id"), amountCents: $0.int64("amount_cents"), createdAt: $0.int64("created_at"))
        }
    }
}
