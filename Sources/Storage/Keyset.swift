import Core

/// The one keyset-pagination helper (API.md §1): newest first by `(created_at, id)`, a bad cursor is `400`.
///
/// Stores pass their `SELECT … FROM … WHERE …` and arguments; the helper adds the cursor condition, the order and
/// the limit, and builds the page.
public enum Keyset {
    /// - Parameters:
    ///   - select: `SELECT columns FROM table` with the table's alias-free columns `created_at` and `id`.
    ///   - conditions: the list's own conditions, joined with AND.
    /// - Throws: `400` naming `cursor` for a cursor this list did not make.
    public static func newestFirst<Item: Sendable>(
        _ select: String, conditions: [String], arguments: [(any SQLBindable)?], page: PageRequest, in db: Connection,
        map: (Row) throws -> Item, key: (Item) -> (Int64, String)
    ) throws -> Page<Item> {
        var conditions = conditions
        var arguments = arguments
        if let cursor = page.cursor {
            guard let (time, id) = Cursor.decodeTimeAndID(cursor) else {
                throw Failure.invalid("cursor", "is not a valid cursor")
            }
            conditions.append("(created_at < ? OR (created_at = ? AND id < ?))")
            arguments += [time, time, id]
        }
        arguments.append(Int64(page.limit + 1))
        let condition = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let rows = try db.query(select + condition + " ORDER BY created_at DESC, id DESC LIMIT ?", arguments: arguments)
        return Page(fetched: try rows.map(map), limit: page.limit) { item in
            let (time, id) = key(item)
            return [.int(time), .string(id)]
        }
    }
}
