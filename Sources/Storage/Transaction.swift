/// What a store needs of an open transaction: statements with `?` parameters and rows back (STYLE.md §2.3). Stores
/// and the features' in-transaction functions take `any Transaction`, never an engine's connection, so a second
/// engine (PostgreSQL, issue 25) is a second conformance; SQLite's ``Connection`` is the first. Engine-only
/// operations (SQLite's integrity check) stay on the engine's type.
public protocol Transaction: AnyObject {
    /// The engine's SQL dialect, for the few statements a store writes per engine (each with a note why).
    var dialect: SQLDialect { get }
    /// Runs one or more statements without parameters.
    func execute(_ sql: String) throws
    /// Runs one statement. - Returns: the rows it changed.
    @discardableResult func run(_ sql: String, _ arguments: (any SQLBindable)?...) throws -> Int
    @discardableResult func run(_ sql: String, arguments: [(any SQLBindable)?]) throws -> Int
    func query(_ sql: String, _ arguments: (any SQLBindable)?...) throws -> [Row]
    func query(_ sql: String, arguments: [(any SQLBindable)?]) throws -> [Row]
    func queryOne(_ sql: String, _ arguments: (any SQLBindable)?...) throws -> Row?
    /// The first column of the first row as an integer, `nil` for no row or NULL.
    func scalar(_ sql: String, _ arguments: (any SQLBindable)?...) throws -> Int64?
    /// Runs `body` in a savepoint: its changes roll back alone if it throws.
    func savepoint<T>(_ body: () throws -> T) throws -> T
    /// Notes that this transaction scheduled a job due at `dueAt`, so the scheduler wakes once it committed.
    func noteScheduledJob(dueAt: Int64)
    /// The problems the engine's own consistency check finds: SQLite's `integrity_check`; none on PostgreSQL,
    /// whose pages the server checks itself (amcheck is an operator's tool, not an application query).
    func integrityProblems() throws -> [String]
    /// Rows whose foreign key points nowhere: SQLite's `foreign_key_check`; 0 on PostgreSQL, which never lets one
    /// commit (its foreign keys cannot be switched off per connection).
    func danglingReferences() throws -> Int
    /// The earliest due time noted in the open transaction (the scheduler saves and restores it around its pass).
    var earliestScheduledDue: Int64? { get set }
}

/// The SQL dialects Basar's stores are written for.
public enum SQLDialect: Sendable, Equatable {
    /// SQLite 3.35 or later, the embedded default.
    case sqlite
    /// PostgreSQL 15 or later (the `PostgreSQL` package trait).
    case postgres
}

extension Connection: Transaction {
    public var dialect: SQLDialect { .sqlite }

    public func noteScheduledJob(dueAt: Int64) {
        earliestScheduledDue = min(earliestScheduledDue ?? dueAt, dueAt)
    }
}
