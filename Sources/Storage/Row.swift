/// The column names of a statement, read once per prepared statement and shared by all of its rows.
final class RowColumns: Sendable {
    let names: [String]
    private let indexByName: [String: Int]
    private let indexByLowercasedName: [String: Int]

    init(names: [String]) {
        self.names = names
        // The leftmost column wins when names repeat, as in GRDB.
        indexByName = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        indexByLowercasedName = Dictionary(
            names.enumerated().map { ($1.lowercased(), $0) }, uniquingKeysWith: { first, _ in first }
        )
    }

    /// SQLite column names are case-insensitive (https://sqlite.org/lang_keywords.html), so lookups are too.
    func index(of name: String) -> Int? {
        indexByName[name] ?? indexByLowercasedName[name.lowercased()]
    }
}

/// One result row, copied out of the statement: a plain value that outlives the query and may cross threads.
///
/// The typed accessors trap when a value does not convert, like GRDB's conversion failures: a schema and its
/// queries are written together, so a mismatch is a programming error, not a runtime condition.
public struct Row: Sendable {
    let columns: RowColumns
    let values: [SQLValue]

    init(columns: RowColumns, values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    /// The column names, as written in the `SELECT` (or its `AS` aliases).
    public var columnNames: [String] { columns.names }

    /// The value of the named column.
    /// - Parameter column: The column name as in the `SELECT`; matched case-insensitively. Traps if unknown.
    public subscript(_ column: String) -> SQLValue {
        guard let index = columns.index(of: column) else {
            preconditionFailure("Row has no column named '\(column)'; its columns are \(columns.names)")
        }
        return values[index]
    }

    /// The value at a zero-based column position. Traps if out of range.
    public subscript(_ index: Int) -> SQLValue {
        precondition(values.indices.contains(index), "Row has \(values.count) columns; index \(index) is out of range")
        return values[index]
    }

    /// The column as an integer; an integral REAL converts. Traps on NULL, text, blob or a fractional REAL.
    public func int64(_ column: String) -> Int64 {
        guard let value = optionalInt64(column) else { conversionFailure(column, "Int64") }
        return value
    }

    /// The column as `Int`. Traps like ``int64(_:)``.
    public func int(_ column: String) -> Int {
        Int(int64(column))
    }

    /// The column as text. Traps unless the value is TEXT.
    public func string(_ column: String) -> String {
        guard let value = optionalString(column) else { conversionFailure(column, "String") }
        return value
    }

    /// The column as a boolean: any non-zero number is `true`. Traps on NULL, text or blob.
    public func bool(_ column: String) -> Bool {
        switch self[column] {
        case .integer(let value): value != 0
        case .real(let value): value != 0
        default: conversionFailure(column, "Bool")
        }
    }

    /// The column as a floating-point number; integers convert. Traps on NULL, text or blob.
    public func double(_ column: String) -> Double {
        switch self[column] {
        case .integer(let value): Double(value)
        case .real(let value): value
        default: conversionFailure(column, "Double")
        }
    }

    /// The column as bytes; TEXT yields its UTF-8. Traps on NULL or a number.
    public func blob(_ column: String) -> [UInt8] {
        switch self[column] {
        case .blob(let bytes): bytes
        case .text(let text): Array(text.utf8)
        default: conversionFailure(column, "[UInt8]")
        }
    }

    /// The column as an integer, or `nil` for NULL. Traps like ``int64(_:)`` on anything else.
    public func optionalInt64(_ column: String) -> Int64? {
        switch self[column] {
        case .null: return nil
        case .integer(let value): return value
        case .real(let value):
            guard let exact = Int64(exactly: value) else { conversionFailure(column, "Int64") }
            return exact
        default: conversionFailure(column, "Int64")
        }
    }

    /// The column as `Int`, or `nil` for NULL.
    public func optionalInt(_ column: String) -> Int? {
        optionalInt64(column).map { Int($0) }
    }

    /// The column as text, or `nil` for NULL. Traps on any other type.
    public func optionalString(_ column: String) -> String? {
        switch self[column] {
        case .null: return nil
        case .text(let text): return text
        default: conversionFailure(column, "String")
        }
    }

    /// Names the column and the stored type, never the value: it may be personal data.
    private func conversionFailure(_ column: String, _ type: String) -> Never {
        preconditionFailure("Row: could not convert column '\(column)' (\(self[column].typeName)) to \(type)")
    }
}
