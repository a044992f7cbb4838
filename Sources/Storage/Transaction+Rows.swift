/// Rows one multi-row statement takes at most. Chunks are powers of two (128, 64, … 1), so however many rows come,
/// one statement head needs at most eight cached statements, and a page of 500 rows costs seven.
let insertRowsChunk = 128

extension Transaction {
    /// Inserts `count` rows with multi-row statements (`INSERT … VALUES (…), (…), …`) in the caller's transaction.
    ///
    /// - Parameters:
    ///   - head: the statement up to `VALUES`, such as `INSERT INTO send_log (rule, account_id) VALUES`.
    ///   - columns: values per row.
    ///   - count: rows in all.
    ///   - tail: what follows the values, such as `ON CONFLICT … RETURNING …`.
    ///   - row: appends the `columns` values of row `i`.
    /// - Returns: what `RETURNING` in `tail` returned, chunk after chunk; empty without it.
    /// - Throws: ``SQLiteError``; the rows of earlier chunks stay inserted (the caller's transaction decides).
    @discardableResult
    public func insertRows(
        _ head: String, columns: Int, count: Int, tail: String = "", row: (Int, inout [(any SQLBindable)?]) -> Void
    ) throws -> [Row] {
        let tuple = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        var returned: [Row] = []
        var arguments: [(any SQLBindable)?] = []
        arguments.reserveCapacity(min(count, insertRowsChunk) * columns)
        var start = 0
        while start < count {
            var size = insertRowsChunk
            while size > count - start { size /= 2 }
            arguments.removeAll(keepingCapacity: true)
            for i in start..<start + size { row(i, &arguments) }
            let sql = head + " " + Array(repeating: tuple, count: size).joined(separator: ", ") + (tail.isEmpty ? "" : " " + tail)
            returned += try query(sql, arguments: arguments)
            start += size
        }
        return returned
    }
}
