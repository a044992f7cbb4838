import CSQLite

/// `SQLITE_TRANSIENT`: SQLite copies bound text and blobs before `sqlite3_bind_*` returns, so Swift buffers need not
/// outlive the call (https://sqlite.org/c3ref/bind_blob.html). The C macro is a cast Swift cannot import.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A prepared statement owned by one ``Connection`` and cached by its SQL text.
///
/// Not thread-safe: like its connection it is used only on that connection's queue.
final class Statement {
    let handle: OpaquePointer
    let sql: String
    let columns: RowColumns
    private let parameterCount: Int32
    /// When its connection last handed it out, for evicting the least recently used from the connection's cache.
    var lastUse: UInt64 = 0
    /// The owning connection's `sqlite3*`, for error messages; it outlives the statement (finalized before close).
    private let database: OpaquePointer

    init(database: OpaquePointer, sql: String) throws {
        var handle: OpaquePointer?
        // `pzTail` points into the C string, so it is read inside `withCString`: the temporary C string an implicit
        // String-to-pointer conversion makes is freed when the call returns, and reading the tail after that gave
        // intermittent false "more than one statement" errors under load.
        let (code, hasMoreSQL) = sql.withCString { text -> (Int32, Bool) in
            var tail: UnsafePointer<CChar>?
            // SQLITE_PREPARE_PERSISTENT hints that the statement is kept and reused
            // (https://sqlite.org/c3ref/prepare.html).
            let code = sqlite3_prepare_v3(database, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &handle, &tail)
            let rest = tail.map { String(cString: $0) } ?? ""
            return (code, !rest.allSatisfy { $0.isWhitespace || $0 == ";" })
        }
        guard code == SQLITE_OK else { throw SQLiteError(connection: database, sql: sql) }
        guard let handle else { throw SQLiteError.misuse("empty statement", sql: sql) }
        if hasMoreSQL {
            sqlite3_finalize(handle)
            throw SQLiteError.misuse("more than one statement; use execute(_:) for scripts", sql: sql)
        }
        self.handle = handle
        self.sql = sql
        self.database = database
        parameterCount = sqlite3_bind_parameter_count(handle)
        let count = sqlite3_column_count(handle)
        columns = RowColumns(names: (0..<count).map { String(cString: sqlite3_column_name(handle, $0)) })
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Binds `arguments` to the `?` parameters in order, after checking that their number matches.
    func bind(_ arguments: [(any SQLBindable)?]) throws {
        guard arguments.count == Int(parameterCount) else {
            throw SQLiteError(
                extendedCode: SQLITE_RANGE,
                message: "statement has \(parameterCount) parameters but \(arguments.count) arguments were given",
                sql: sql
            )
        }
        for (offset, argument) in arguments.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch argument?.sqlValue ?? .null {
            case .null:
                code = sqlite3_bind_null(handle, index)
            case .integer(let value):
                // 64-bit binding; isowords' sqlite3_bind_int truncated ids (STYLE.md §1).
                code = sqlite3_bind_int64(handle, index, value)
            case .real(let value):
                code = sqlite3_bind_double(handle, index, value)
            case .text(var text):
                // Explicit length, so text with an embedded NUL is kept whole; an empty string must not bind NULL.
                code = text.withUTF8 { utf8 in
                    guard let base = utf8.baseAddress, !utf8.isEmpty else {
                        return sqlite3_bind_text(handle, index, "", 0, transient)
                    }
                    let chars = UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
                    return sqlite3_bind_text64(handle, index, chars, UInt64(utf8.count), transient, UInt8(SQLITE_UTF8))
                }
            case .blob(let bytes):
                code = bytes.isEmpty
                    ? sqlite3_bind_zeroblob(handle, index, 0)  // a NULL pointer would bind NULL, not an empty blob
                    : bytes.withUnsafeBytes {
                        sqlite3_bind_blob64(handle, index, $0.baseAddress, UInt64($0.count), transient)
                    }
            }
            try check(code, database, sql: sql)
        }
    }

    /// Steps to completion, calling `row` for each result row. Always resets and clears bindings afterwards, so the
    /// cached statement holds no locks and no argument values (https://sqlite.org/c3ref/reset.html).
    func step(_ row: (OpaquePointer) -> Void) throws {
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        while true {
            let code = sqlite3_step(handle)
            switch code {
            case SQLITE_ROW: row(handle)
            case SQLITE_DONE: return
            // With sqlite3_prepare_v3 the step result is the specific error (https://sqlite.org/c3ref/step.html).
            default: throw SQLiteError(connection: database, sql: sql)
            }
        }
    }

    /// Copies the current row out of the statement.
    func currentRow() -> Row {
        let count = Int32(columns.names.count)
        var values = [SQLValue]()
        values.reserveCapacity(Int(count))
        for index in 0..<count {
            values.append(value(at: index))
        }
        return Row(columns: columns, values: values)
    }

    private func value(at index: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(handle, index))
        case SQLITE_TEXT:
            // Read the pointer before the byte count, as https://sqlite.org/c3ref/column_blob.html advises.
            guard let text = sqlite3_column_text(handle, index) else { return .text("") }
            let count = Int(sqlite3_column_bytes(handle, index))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            guard let blob = sqlite3_column_blob(handle, index) else { return .blob([]) }
            let count = Int(sqlite3_column_bytes(handle, index))
            return .blob(Array(UnsafeRawBufferPointer(start: blob, count: count)))
        default:
            return .null
        }
    }
}
