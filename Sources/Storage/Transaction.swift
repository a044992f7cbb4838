/// What a store needs of an open transaction: statements with `?` parameters and rows back (STYLE.md §2.3). Stores
/// and the features' in-transaction functions take `any Transaction`, never an engine's connection, so a second
/// engine (PostgreSQL, issue 25) is a second conformance; SQLite's ``Connection`` is the first. Engine-only
/// operations (SQLite's integrity check) stay on the engine's type.
public protocol Transaction: AnyObject {
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
}

extension Connection: Transaction {
    public func noteScheduledJob(dueAt: Int64) {
        earliestScheduledDue = min(earliestScheduledDue ?? dueAt, dueAt)
    }
}
