import CSQLite

/// An error SQLite reported. It keeps the result codes, SQLite's message and the SQL text, never bound arguments,
/// so it is safe to log (STYLE.md §12, §18).
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// The primary result code, e.g. 19 for `SQLITE_CONSTRAINT` (https://sqlite.org/rescode.html).
    public let code: Int32
    /// The extended result code, e.g. 2067 for `SQLITE_CONSTRAINT_UNIQUE`.
    public let extendedCode: Int32
    /// SQLite's English message (`sqlite3_errmsg`), e.g. "UNIQUE constraint failed: users.email".
    public let message: String
    /// The statement that failed, if any.
    public let sql: String?
    /// PostgreSQL's SQLSTATE when PostgreSQL reported the error (its engine maps it to `code` and `extendedCode`).
    public let sqlState: String?

    /// Creates an error; mostly useful for test doubles.
    /// - Parameters:
    ///   - code: The primary result code; derived from `extendedCode` when `nil`.
    ///   - extendedCode: The extended result code.
    ///   - message: A description of the failure.
    ///   - sql: The statement that failed, without arguments.
    ///   - sqlState: PostgreSQL's SQLSTATE, for an error PostgreSQL reported.
    public init(code: Int32? = nil, extendedCode: Int32, message: String, sql: String? = nil, sqlState: String? = nil) {
        self.code = code ?? (extendedCode & 0xff)
        self.extendedCode = extendedCode
        self.message = message
        self.sql = sql
        self.sqlState = sqlState
    }

    /// Reads the most recent error of a connection.
    init(connection: OpaquePointer?, sql: String?) {
        let extended = connection.map { sqlite3_extended_errcode($0) } ?? SQLITE_NOMEM
        let message = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "out of memory"
        self.init(extendedCode: extended, message: message, sql: sql)
    }

    /// An API misuse detected before SQLite saw it (`SQLITE_MISUSE`).
    static func misuse(_ message: String, sql: String? = nil) -> SQLiteError {
        SQLiteError(extendedCode: SQLITE_MISUSE, message: message, sql: sql)
    }

    // The extended codes are macros Swift cannot import: (SQLITE_CONSTRAINT | (n << 8)),
    // https://sqlite.org/rescode.html.
    static let constraintPrimaryKey: Int32 = SQLITE_CONSTRAINT | (6 << 8)  // 1555
    static let constraintUnique: Int32 = SQLITE_CONSTRAINT | (8 << 8)  // 2067

    /// `true` for a violated `UNIQUE` or `PRIMARY KEY` constraint; stores map it to errors such as `.emailTaken`.
    public var isUniqueConstraintViolation: Bool {
        extendedCode == Self.constraintUnique || extendedCode == Self.constraintPrimaryKey
    }

    /// `true` when the database stayed locked longer than the busy timeout (`SQLITE_BUSY`).
    public var isBusy: Bool { code == SQLITE_BUSY }

    public var description: String {
        // Logs name the engine that failed: an operator on PostgreSQL looks its SQLSTATE up, not SQLite's code.
        var text = sqlState.map { "PostgreSQL error \($0): \(message)" } ?? "SQLite error \(code) (extended \(extendedCode)): \(message)"
        if let sql {
            text += " — in `\(sql)`"
        }
        return text
    }
}

/// Throws the connection's current error unless `code` is one of `accepted`.
@inline(__always)
func check(_ code: Int32, _ connection: OpaquePointer?, sql: String?, accepted: Int32 = SQLITE_OK) throws {
    if code != accepted {
        throw SQLiteError(connection: connection, sql: sql)
    }
}
