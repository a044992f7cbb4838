import CSQLite
import Glibc

/// One SQLite connection, handed to the closures of ``Database/write(_:)`` and ``Database/read(_:)``.
///
/// Valid only inside that closure and only on the thread that runs it: it must not be stored or sent elsewhere,
/// which is why it is not `Sendable`. Connections are opened with `SQLITE_OPEN_NOMUTEX` and each is confined to
/// one serial queue, so SQLite's own mutexes would be redundant (https://sqlite.org/threadsafe.html).
public final class Connection {
    /// The `sqlite3*`; `nil` once closed.
    private(set) var handle: OpaquePointer?
    /// Prepared statements by SQL text, reused across calls (reset and cleared after each use). SQL with parts
    /// spliced in (`IN (?, ?, …)` lists, multi-row inserts) makes ever new texts, so the cache keeps at most
    /// ``statementCacheCapacity`` and evicts the least recently used.
    private var statements: [StatementKey: Statement] = [:]
    /// Counts the statements handed out; a statement's ``Statement/lastUse`` is this count at its last use.
    private var statementUses: UInt64 = 0
    /// How many prepared statements one connection caches.
    static let statementCacheCapacity = 256
    private var savepointDepth = 0
    /// The earliest `due_at` that ``Scheduler/schedule(_:key:at:data:in:)`` wrote in the open transaction; after
    /// COMMIT it tells the started scheduler to wake (``Database/onJobScheduled(_:)``).
    public var earliestScheduledDue: Int64?

    /// Opens a connection and applies the pragmas every connection needs.
    init(path: String, flags: Int32, configuration: Database.Configuration) throws {
        var handle: OpaquePointer?
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let error = SQLiteError(connection: handle, sql: nil)
            sqlite3_close_v2(handle)  // a handle is usually returned even on failure and must be closed
            throw error
        }
        self.handle = handle
        sqlite3_extended_result_codes(handle, 1)
        // busy_timeout: wait for a lock instead of failing at once with SQLITE_BUSY
        // (https://sqlite.org/c3ref/busy_timeout.html).
        sqlite3_busy_timeout(handle, configuration.busyTimeoutMilliseconds)
        // foreign_keys is off by default and per connection (https://sqlite.org/foreignkeys.html §2).
        try execute("PRAGMA foreign_keys = ON")
    }

    deinit {
        close()
    }

    /// Finalizes the cached statements, then closes the connection. Idempotent.
    func close() {
        statements.removeAll()  // Statement.deinit finalizes; sqlite3_close_v2 would otherwise defer the close
        if let handle {
            sqlite3_close_v2(handle)
            self.handle = nil
        }
    }

    private func openHandle(sql: String?) throws -> OpaquePointer {
        guard let handle else { throw SQLiteError.misuse("the database is closed", sql: sql) }
        return handle
    }

    // MARK: - Statements

    /// Runs one or more statements separated by `;`, without arguments, e.g. a migration script.
    /// - Parameter sql: The SQL text. Never interpolate untrusted input into it: use ``run(_:_:)`` with arguments.
    /// - Throws: ``SQLiteError`` from the first statement that fails; the earlier ones stay applied.
    public func execute(_ sql: String) throws {
        let handle = try openHandle(sql: sql)
        try check(sqlite3_exec(handle, sql, nil, nil, nil), handle, sql: sql)
    }

    /// Runs one statement with arguments, e.g. an `INSERT`, `UPDATE` or `DELETE`.
    /// - Parameters:
    ///   - sql: One statement with `?` placeholders; prepared once per connection and cached.
    ///   - arguments: One value per placeholder; `nil` binds `NULL`.
    /// - Returns: The number of rows changed (`sqlite3_changes`).
    /// - Throws: ``SQLiteError``, e.g. a constraint violation, or `SQLITE_RANGE` for a wrong argument count.
    @discardableResult
    public func run(_ sql: String, _ arguments: (any SQLBindable)?...) throws -> Int {
        try run(sql, arguments: arguments)
    }

    /// Runs one statement with an array of arguments. See ``run(_:_:)``.
    /// - Parameters:
    ///   - sql: One statement with `?` placeholders.
    ///   - arguments: One value per placeholder; `nil` binds `NULL`.
    /// - Returns: The number of rows changed.
    /// - Throws: ``SQLiteError``.
    @discardableResult
    public func run(_ sql: String, arguments: [(any SQLBindable)?]) throws -> Int {
        let handle = try openHandle(sql: sql)
        let statement = try prepared(sql)
        try statement.bind(arguments)
        try statement.step { _ in }  // rows of e.g. INSERT … RETURNING are skipped
        return Int(sqlite3_changes(handle))
    }

    /// Runs a query and copies out all its rows.
    /// - Parameters:
    ///   - sql: One `SELECT` (or statement with `RETURNING`) with `?` placeholders.
    ///   - arguments: One value per placeholder; `nil` binds `NULL`.
    /// - Returns: The rows, in the order SQLite produced them.
    /// - Throws: ``SQLiteError``.
    public func query(_ sql: String, _ arguments: (any SQLBindable)?...) throws -> [Row] {
        try query(sql, arguments: arguments)
    }

    /// Runs a query with an array of arguments. See ``query(_:_:)``.
    /// - Parameters:
    ///   - sql: One statement with `?` placeholders.
    ///   - arguments: One value per placeholder; `nil` binds `NULL`.
    /// - Returns: The rows.
    /// - Throws: ``SQLiteError``.
    public func query(_ sql: String, arguments: [(any SQLBindable)?]) throws -> [Row] {
        let statement = try prepared(sql)
        try statement.bind(arguments)
        var rows: [Row] = []
        try statement.step { _ in rows.append(statement.currentRow()) }
        return rows
    }

    /// Runs a query and returns its first row.
    /// - Parameters:
    ///   - sql: One statement with `?` placeholders; add `LIMIT 1` when more rows could match.
    ///   - arguments: One value per placeholder; `nil` binds `NULL`.
    /// - Returns: The first row, or `nil` if there is none.
    /// - Throws: ``SQLiteError``.
    public func queryOne(_ sql: String, _ arguments: (any SQLBindable)?...) throws -> Row? {
        try first(sql, arguments)
    }

    /// Runs a query and returns the first column of its first row as an integer, e.g. `SELECT count(*) …`.
    /// - Parameters:
    ///   - sql: One statement with `?` placeholders.
    ///   - arguments: One value per placeholder; `nil` binds `NULL`.
    /// - Returns: The integer, or `nil` if there is no row or the value is NULL. Traps if it is not an integer.
    /// - Throws: ``SQLiteError``.
    public func scalar(_ sql: String, _ arguments: (any SQLBindable)?...) throws -> Int64? {
        guard let row = try first(sql, arguments), let name = row.columnNames.first else { return nil }
        return row.optionalInt64(name)
    }

    /// The rowid of the most recent successful `INSERT` on this connection
    /// (https://sqlite.org/c3ref/last_insert_rowid.html).
    public var lastInsertRowID: Int64 {
        handle.map { sqlite3_last_insert_rowid($0) } ?? 0
    }

    /// Runs `body` inside a savepoint, a transaction nested in the current one
    /// (https://sqlite.org/lang_savepoint.html).
    ///
    /// If `body` throws, only its own changes are rolled back and the error is rethrown; the outer transaction
    /// keeps its work and stays open.
    /// - Parameter body: The work to make atomic.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws, or ``SQLiteError``.
    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        savepointDepth += 1
        defer { savepointDepth -= 1 }
        let name = "basar_sp\(savepointDepth)"
        try run("SAVEPOINT \(name)")
        do {
            let value = try body()
            try run("RELEASE \(name)")
            return value
        } catch {
            // ROLLBACK TO keeps the savepoint on the stack; RELEASE then removes it.
            _ = try? run("ROLLBACK TO \(name)")
            _ = try? run("RELEASE \(name)")
            throw error
        }
    }

    // MARK: - Internals

    private func first(_ sql: String, _ arguments: [(any SQLBindable)?]) throws -> Row? {
        let statement = try prepared(sql)
        try statement.bind(arguments)
        var row: Row?
        try statement.step { _ in
            if row == nil { row = statement.currentRow() }
        }
        return row
    }

    private func prepared(_ sql: String) throws -> Statement {
        statementUses &+= 1
        let key = StatementKey(sql)
        if let statement = statements[key] {
            statement.lastUse = statementUses
            return statement
        }
        let statement = try Statement(database: try openHandle(sql: sql), sql: sql)
        statement.lastUse = statementUses
        if statements.count >= Self.statementCacheCapacity,
           let oldest = statements.min(by: { $0.value.lastUse < $1.value.lastUse })?.key
        {
            // Dropping the cache's reference finalizes the statement (Statement.deinit); one still in use is held by
            // its caller and finalized only when that caller is done with it.
            statements.removeValue(forKey: oldest)
        }
        statements[key] = statement
        return statement
    }

    /// SQL text as the cache's key, hashed by its length and its ends only: hashing all of it (hundreds of bytes,
    /// for every statement run) cost 2% of a paid checkout's instructions. Keys are equal when their bytes are (not
    /// String's canonical equivalence, which the byte hash would contradict).
    struct StatementKey: Hashable {
        let sql: String

        init(_ sql: String) {
            var sql = sql
            sql.makeContiguousUTF8()
            self.sql = sql
        }

        func hash(into hasher: inout Hasher) {
            sql.utf8.withContiguousStorageIfAvailable { bytes in
                hasher.combine(bytes.count)
                hasher.combine(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes.prefix(24))))
                hasher.combine(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes.suffix(24))))
            } ?? hasher.combine(Array(sql.utf8))
        }

        static func == (lhs: StatementKey, rhs: StatementKey) -> Bool {
            let (left, right) = (lhs.sql.utf8, rhs.sql.utf8)
            guard left.count == right.count else { return false }
            guard left.count > 0 else { return true }
            let same = left.withContiguousStorageIfAvailable { a in
                right.withContiguousStorageIfAvailable { b in memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 }
            }
            return (same ?? nil) ?? left.elementsEqual(right)
        }
    }

    /// How a transaction takes its locks (https://sqlite.org/lang_transaction.html).
    enum TransactionKind: String {
        /// Takes the write lock at BEGIN, so a writer never fails half-way with SQLITE_BUSY on lock upgrade.
        case immediate = "BEGIN IMMEDIATE"
        /// Takes a read snapshot at the first read and keeps it until COMMIT.
        case deferred = "BEGIN DEFERRED"
    }

    /// Runs `body` in a transaction: COMMIT on success; on any error ROLLBACK and rethrow that first error.
    func inTransaction<T>(_ kind: TransactionKind, _ body: (any Transaction) throws -> T) throws -> T {
        try run(kind.rawValue)
        do {
            let value = try body(self)
            try run("COMMIT")
            return value
        } catch {
            // Some errors (SQLITE_FULL, IOERR, BUSY, NOMEM) already rolled back
            // (https://sqlite.org/lang_transaction.html "Response To Errors Within A Transaction");
            // a second ROLLBACK would only fail, and must not mask `error`.
            if let handle, sqlite3_get_autocommit(handle) == 0 {
                _ = try? run("ROLLBACK")
            }
            throw error
        }
    }

    /// Whether a transaction is open; SQLite ends one by itself after some errors.
    var isInTransaction: Bool { handle.map { sqlite3_get_autocommit($0) == 0 } ?? false }

    /// The problems SQLite's own integrity check finds in the file; empty when it answers "ok".
    public func integrityProblems() throws -> [String] {
        let rows = try query("PRAGMA integrity_check").map { $0[0] }
        return rows == [.text("ok")] ? [] : rows.map { "\($0)" }
    }

    /// The rows whose foreign keys point nowhere.
    public func danglingReferences() throws -> Int {
        try query("PRAGMA foreign_key_check").count
    }

    /// Frames in the WAL after the last commit, once ``countWALFrames()`` installed SQLite's WAL hook.
    private(set) var walFrames: Int32 = 0

    /// Keeps ``walFrames`` current through `sqlite3_wal_hook`, which replaces SQLite's automatic checkpoint
    /// (https://sqlite.org/c3ref/wal_hook.html): whoever calls this checkpoints by itself.
    func countWALFrames() {
        guard let handle else { return }
        let context = Unmanaged.passUnretained(self).toOpaque()
        sqlite3_wal_hook(handle, { context, _, _, frames in
            // Called inside COMMIT on this connection's own thread; `self` outlives its handle (close() clears it).
            guard let context else { return SQLITE_OK }
            Unmanaged<Connection>.fromOpaque(context).takeUnretainedValue().walFrames = frames
            return SQLITE_OK
        }, context)
    }

    /// How many statements the cache holds.
    var cachedStatementCount: Int { statements.count }

    /// Whether the cache holds the statement for `sql`.
    func cachesStatement(_ sql: String) -> Bool { statements[StatementKey(sql)] != nil }

    /// How many statements are prepared on this connection and not finalized, cached or not
    /// (https://sqlite.org/c3ref/next_stmt.html).
    var liveStatementCount: Int {
        var count = 0
        var next = handle.flatMap { sqlite3_next_stmt($0, nil) }
        while let statement = next {
            count += 1
            next = sqlite3_next_stmt(handle, statement)
        }
        return count
    }

    /// The current value of a pragma, e.g. `journal_mode`.
    func pragma(_ statement: String) throws -> SQLValue? {
        try first("PRAGMA \(statement)", []).map { $0[0] }
    }
}

@available(*, unavailable, message: "A Connection is valid only inside its write/read closure")
extension Connection: Sendable {}
