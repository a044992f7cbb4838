import Core

/// The one keyset-pagination helper (API.md §1): newest first by `(created_at, id)`, a bad cursor is `400`.
///
/// Stores pass their `SELECT … FROM … WHERE …` and arguments; the helper adds the cursor condition, the order and
/// the limit, and builds the page.
public enum Keyset {
    /// - Parameters:
    ///   - select: `SELECT columns FROM table`, whose rows carry the key columns (`created_at` and `id` by default).
    ///   - conditions: the list's own conditions, joined with AND.
    ///   - timeColumn: the key's time column, qualified when `select` joins (`k.created_at`).
    ///   - idColumn: the key's tie-breaking column, for tables that name it otherwise (`transaction_id`, `code`).
    /// - Throws: `400` naming `cursor` for a cursor this list did not make.
    public static func newestFirst<Item: Sendable>(
        _ select: String, conditions: [String], arguments: [(any SQLBindable)?], timeColumn: String = "created_at",
        idColumn: String = "id", page: PageRequest, in db: any Transaction, map: (Row) throws -> Item,
        key: (Item) -> (Int64, String)
    ) throws -> Page<Item> {
        var conditions = conditions
        var arguments = arguments
        if let cursor = page.cursor {
            guard let (time, id) = Cursor.decodeTimeAndID(cursor) else {
                throw Failure.invalid("cursor", "is not a valid cursor")
            }
            conditions.append("(\(timeColumn) < ? OR (\(timeColumn) = ? AND \(idColumn) < ?))")
            arguments += [time, time, id]
        }
        arguments.append(Int64(page.limit + 1))
        let condition = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let order = " ORDER BY \(timeColumn) DESC, \(idColumn) DESC LIMIT ?"
        let rows = try db.query(select + condition + order, arguments: arguments)
        return Page(fetched: try rows.map(map), limit: page.limit) { item in
            let (time, id) = key(item)
            return [.int(time), .string(id)]
        }
    }
}
