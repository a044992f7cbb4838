import Accounts
import Core
import Storage

/// The SQL of share links and the orders placed through them.
enum ShareStore {
    static let columns = "id, code, account_id, target_type, target_id, visits, created_at"

    /// - Returns: false when the code is taken (the caller draws another).
    static func insert(_ share: Share, in db: any Transaction) throws -> Bool {
        try db.run(
            """
            INSERT INTO shares (\(columns)) VALUES (?, ?, ?, ?, ?, 0, ?) ON CONFLICT (code) DO NOTHING
            """,
            share.id, share.code, share.accountID, share.targetType.rawValue, share.targetID, share.createdAt
        ) == 1
    }

    /// The account's share of one target, if it made one before.
    static func share(of accountID: String, target: ShareTarget, id targetID: String, in db: any Transaction) throws -> Share? {
        try db.queryOne(
            "SELECT \(columns) FROM shares WHERE account_id = ? AND target_type = ? AND target_id = ?",
            accountID, target.rawValue, targetID
        ).map { try share(from: $0, in: db) }
    }

    static func share(code: String, in db: any Transaction) throws -> Share? {
        try db.queryOne("SELECT \(columns) FROM shares WHERE code = ?", code).map { try share(from: $0, in: db) }
    }

    static func share(id: String, in db: any Transaction) throws -> Share? {
        try db.queryOne("SELECT \(columns) FROM shares WHERE id = ?", id).map { try share(from: $0, in: db) }
    }

    /// Counts a visit and answers the share with it.
    static func visit(code: String, in db: any Transaction) throws -> Share? {
        try db.queryOne("UPDATE shares SET visits = visits + 1 WHERE code = ? RETURNING \(columns)", code)
            .map { try share(from: $0, in: db) }
    }

    /// Every share the account made, newest first (its data export).
    static func shares(of accountID: String, in db: any Transaction) throws -> [Share] {
        try db.query("SELECT \(columns) FROM shares WHERE account_id = ? ORDER BY created_at DESC, id DESC", accountID)
            .map { try share(from: $0, in: db) }
    }

    private static func share(from row: Row, in db: any Transaction) throws -> Share {
        Share(
            id: row.string("id"), code: row.string("code"), accountID: row.string("account_id"),
            targetType: ShareTarget(rawValue: row.string("target_type")) ?? .product, targetID: row.string("target_id"),
            visits: row.int64("visits"), createdAt: row.int64("created_at"),
            sharerName: Names.firstName(try AccountService.displayName(of: row.string("account_id"), in: db) ?? "")
        )
    }

    // MARK: - Orders through a share

    static func recordOrder(_ orderID: String, share shareID: String, now: Int64, in db: any Transaction) throws {
        try db.run(
            "INSERT INTO order_shares (order_id, share_id, created_at) VALUES (?, ?, ?) ON CONFLICT (order_id) DO NOTHING",
            orderID, shareID, now
        )
    }

    /// The share an order was placed through (`share_code`).
    static func shareID(ofOrder orderID: String, in db: any Transaction) throws -> String? {
        try db.queryOne("SELECT share_id FROM order_shares WHERE order_id = ?", orderID)?.string("share_id")
    }
}
