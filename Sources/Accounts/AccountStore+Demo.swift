import Storage

extension AccountStore {
    static func hasAny(in db: any Transaction) throws -> Bool {
        try db.queryOne("SELECT 1 AS one FROM accounts LIMIT 1") != nil
    }
}

extension AccountService {
    /// Whether the database holds any account, erased ones included (the demo loader fills only an empty one).
    ///
    /// - Parameter db: the caller's connection.
    /// - Returns: `true` when there is at least one account.
    /// - Throws: ``SQLiteError``.
    public static func hasAccounts(in db: any Transaction) throws -> Bool {
        try AccountStore.hasAny(in: db)
    }
}
