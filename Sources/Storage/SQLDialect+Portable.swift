import Core

/// The few SQL fragments that differ between the engines and that several stores need. Everything else the stores
/// write is portable SQL (SQLite 3.35+ and PostgreSQL 15: `RETURNING`, `ON CONFLICT`, `CASE`, `CAST`).
extension SQLDialect {
    /// A subquery over the elements of a JSON array of strings bound as one `?`, for `column IN (…)`: SQLite's
    /// `json_each` (https://sqlite.org/json1.html#jeach); PostgreSQL's `json_array_elements_text`, whose column is
    /// also named `value`.
    public var jsonArrayValues: String {
        switch self {
        case .sqlite: "SELECT value FROM json_each(?)"
        case .postgres: "SELECT value FROM json_array_elements_text(CAST(? AS json))"
        }
    }

    /// The string at a top-level `key` of the JSON object in `column`, for comparing with a text argument: SQLite's
    /// `json_extract` (https://sqlite.org/json1.html#jex); PostgreSQL's `->>` on the text cast to `jsonb`.
    ///
    /// - Parameters:
    ///   - column: a TEXT column holding a JSON object (`data`).
    ///   - key: a plain key, no quotes or dots.
    /// - Returns: an SQL expression.
    public func jsonText(_ column: String, key: String) -> String {
        switch self {
        case .sqlite: "json_extract(\(column), '$.\(key)')"
        case .postgres: "(CAST(\(column) AS jsonb) ->> '\(key)')"
        }
    }
}

extension Transaction {
    /// Makes writers that check and then insert for one owner (at most 20 addresses, the coupons per account) wait
    /// for each other. SQLite's single writer already orders them, so this runs nothing there; on PostgreSQL (READ
    /// COMMITTED) it locks the owner's row with `FOR NO KEY UPDATE`, which does not block inserts that reference the
    /// row (their foreign-key checks take `FOR KEY SHARE`).
    ///
    /// - Parameters:
    ///   - table: the owner's table (`accounts`).
    ///   - column: its key column.
    ///   - key: the owner's key.
    /// - Throws: the engine's error.
    public func lockOwner(in table: String, column: String = "id", key: String) throws {
        guard dialect == .postgres else { return }
        _ = try query("SELECT 1 AS one FROM \(table) WHERE \(column) = ? FOR NO KEY UPDATE", key)
    }

    /// ``lockOwner(in:column:key:)`` for many owners at once (a page of followers), in one statement that locks them
    /// in key order: two writers whose owners overlap then wait for each other instead of deadlocking.
    ///
    /// - Parameters:
    ///   - table: the owners' table (`accounts`).
    ///   - column: its key column.
    ///   - keys: the owners' keys, in any order.
    /// - Throws: the engine's error.
    public func lockOwners(in table: String, column: String = "id", keys: [String]) throws {
        guard dialect == .postgres, !keys.isEmpty else { return }
        _ = try query(
            """
            SELECT 1 AS one FROM \(table) WHERE \(column) IN (\(dialect.jsonArrayValues))
            ORDER BY \(column) FOR NO KEY UPDATE
            """,
            JSON.array(keys.map(JSON.string)).serializedString()
        )
    }
}
