#if PostgreSQL
import CLibPQ
import CSQLite

/// One libpq connection, handed to the closures of ``Database/write(_:)`` and ``Database/read(_:)`` on PostgreSQL.
///
/// Like SQLite's ``Connection`` it is confined to one serial queue of ``PostgresEngine`` (libpq's calls block the
/// thread that makes them, so they never run on an event loop). Statements are prepared once per connection
/// (`PQprepare`) and cached by their text; arguments travel as text with no declared type, so the server infers
/// each parameter's type from where it stands, as SQLite's loose typing lets the stores assume.
final class PostgresConnection: Transaction {
    private var handle: OpaquePointer?
    /// Prepared statement names by SQL text; a bounded cache like SQLite's (SQL with spliced-in lists varies).
    private var statements: [String: (name: String, columns: RowColumns?, lastUse: UInt64)] = [:]
    private var statementUses: UInt64 = 0
    private var statementCount = 0
    static let statementCacheCapacity = 256
    private var savepointDepth = 0
    private var pipeline = PostgresPipeline()
    var earliestScheduledDue: Int64?
    var dialect: SQLDialect { .postgres }

    /// The socket, for ``PostgresNotifier``'s poll.
    var socket: Int32 { handle.map { PQsocket($0) } ?? -1 }

    /// Reads what the server sent and returns the backend process ids that sent the notifications among it.
    func notifications() -> [Int32] {
        guard let handle, PQconsumeInput(handle) == 1 else { return [] }
        var senders: [Int32] = []
        while let notification = PQnotifies(handle) {
            senders.append(notification.pointee.be_pid)
            PQfreemem(notification)
        }
        return senders
    }

    /// The server process serving this connection (`pg_backend_pid()`).
    var backendPID: Int32 { handle.map { PQbackendPID($0) } ?? 0 }

    /// Connects and sets the session up.
    /// - Parameters:
    ///   - conninfo: libpq's connection string or URL, without Basar's own `schema` parameter.
    ///   - schema: the schema the tables live in (tests use one per database), first in `search_path`.
    init(conninfo: String, schema: String?) throws {
        let handle = PQconnectdb(conninfo)
        guard let handle, PQstatus(handle) == CONNECTION_OK else {
            let message = handle.map { String(cString: PQerrorMessage($0)) } ?? "out of memory"
            PQfinish(handle)
            throw SQLiteError(extendedCode: SQLITE_CANTOPEN, message: message, sql: nil, sqlState: "08001")
        }
        self.handle = handle
        // libpq prints what the server says outside a query (a FATAL before it drops the connection) to stderr; the
        // failure reaches the caller as a broken connection anyway, and logs carry Basar's structured lines only.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        // Times are integers the application gives; the session's zone only matters to the migrations' stamps.
        // Notices (DROP … CASCADE lists every table) would go to stderr: logs carry Basar's own lines only.
        var setup = "SET TIME ZONE 'UTC'; SET client_min_messages TO warning"
        if let schema { setup += "; SET search_path TO \(Self.quoted(schema)), public" }
        self.setup = setup
        try execute(setup)
    }

    private let setup: String

    /// Reconnects a connection the server or the network broke, so the pool heals after a restart; the caller's
    /// transaction is lost with it and its error stands.
    func recoverIfBroken() {
        guard let handle, PQstatus(handle) != CONNECTION_OK || pipeline.broken else { return }
        PQreset(handle)
        PQexitPipelineMode(handle)
        statements.removeAll()
        pipeline = PostgresPipeline()
        if PQstatus(handle) == CONNECTION_OK { try? execute(setup) }
    }

    deinit { close() }

    func close() {
        if let handle {
            PQfinish(handle)
            self.handle = nil
        }
    }

    /// A double-quoted identifier.
    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: - Transaction

    func execute(_ sql: String) throws {
        let handle = try open(sql)
        if !pipeline.pendingBegin.isEmpty {
            let begin = pipeline.pendingBegin
            pipeline.pendingBegin = []
            for command in begin { try execute(command) }
        }
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        try check(result, sql: sql)
    }

    @discardableResult
    func run(_ sql: String, _ arguments: (any SQLBindable)?...) throws -> Int {
        try run(sql, arguments: arguments)
    }

    @discardableResult
    func run(_ sql: String, arguments: [(any SQLBindable)?]) throws -> Int {
        let (result, _) = try exec(sql, arguments)
        defer { PQclear(result) }
        return Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    func query(_ sql: String, _ arguments: (any SQLBindable)?...) throws -> [Row] {
        try query(sql, arguments: arguments)
    }

    func query(_ sql: String, arguments: [(any SQLBindable)?]) throws -> [Row] {
        let (result, columns) = try exec(sql, arguments)
        defer { PQclear(result) }
        return Self.rows(of: result, columns: columns)
    }

    func queryOne(_ sql: String, _ arguments: (any SQLBindable)?...) throws -> Row? {
        try query(sql, arguments: arguments).first
    }

    func scalar(_ sql: String, _ arguments: (any SQLBindable)?...) throws -> Int64? {
        guard let row = try query(sql, arguments: arguments).first, let name = row.columnNames.first else { return nil }
        return row.optionalInt64(name)
    }

    func savepoint<T>(_ body: () throws -> T) throws -> T {
        savepointDepth += 1
        defer { savepointDepth -= 1 }
        let name = "basar_sp\(savepointDepth)"
        try execute("SAVEPOINT \(name)")
        do {
            let value = try body()
            try execute("RELEASE SAVEPOINT \(name)")
            return value
        } catch {
            _ = try? execute("ROLLBACK TO SAVEPOINT \(name)")
            _ = try? execute("RELEASE SAVEPOINT \(name)")
            throw error
        }
    }

    func noteScheduledJob(dueAt: Int64) {
        earliestScheduledDue = min(earliestScheduledDue ?? dueAt, dueAt)
    }

    func integrityProblems() throws -> [String] { [] }

    func danglingReferences() throws -> Int { 0 }

    /// Whether the server still holds an open (or failed) transaction of this connection.
    var isInTransaction: Bool {
        guard let handle else { return false }
        return PQtransactionStatus(handle) != PQTRANS_IDLE
    }

    /// Whether the connection is still usable (a server restart or a network cut breaks it).
    var isHealthy: Bool { !pipeline.broken && handle.map { PQstatus($0) == CONNECTION_OK } ?? false }

    // MARK: - Internals

    private func open(_ sql: String?) throws -> OpaquePointer {
        guard let handle else { throw SQLiteError.misuse("the database is closed", sql: sql) }
        try pipeline.drain(handle)
        return handle
    }

    /// Opens the transaction with `commands`, sent together with its first statement (``PostgresPipeline``).
    func begin(_ commands: [String]) {
        pipeline.pendingBegin = commands
    }

    /// Ends a read: COMMIT is sent, and its answer read by the connection's next use. A read that ran no statement
    /// never opened a transaction.
    func commitWithoutWaiting() throws {
        guard pipeline.pendingBegin.isEmpty else {
            pipeline.pendingBegin = []
            return
        }
        try pipeline.send(["COMMIT"], on: try open("COMMIT"))
    }

    /// Ends a transaction that failed, whether or not its BEGIN was sent.
    func rollback() {
        guard pipeline.pendingBegin.isEmpty else {
            pipeline.pendingBegin = []
            return
        }
        if isInTransaction { _ = try? execute("ROLLBACK") }
    }

    /// Prepares `sql` once (its `?` rewritten to `$n`) and runs it with `arguments` as text parameters.
    private func exec(_ sql: String, _ arguments: [(any SQLBindable)?]) throws -> (OpaquePointer?, RowColumns?) {
        let handle = try open(sql)
        statementUses &+= 1
        let name: String
        let isNew = statements[sql] == nil
        if let cached = statements[sql] {
            name = cached.name
            statements[sql]?.lastUse = statementUses
        } else {
            if statements.count >= Self.statementCacheCapacity { evictLeastRecentlyUsed() }
            statementCount += 1
            name = "basar_s\(statementCount)"
        }
        let values = arguments.map { $0.map { Self.text($0.sqlValue) } ?? nil }
        let formats = arguments.map { argument -> Int32 in
            if case .blob? = argument?.sqlValue { return 1 }
            return 0
        }
        let lengths = arguments.map { argument -> Int32 in
            if case .blob(let bytes)? = argument?.sqlValue { return Int32(bytes.count) }
            return 0
        }
        let result: OpaquePointer?
        if !pipeline.pendingBegin.isEmpty {
            // Cached only once it ran: after a failure the next use prepares it again under a new name.
            result = try pipeline.run(name, prepare: isNew ? sql : nil, values, lengths, formats, on: handle)
            if isNew { statements[sql] = (name, nil, statementUses) }
        } else {
            if isNew {
                let prepared = PQprepare(handle, name, PostgresSQL.placeholders(sql), 0, nil)
                defer { PQclear(prepared) }
                try check(prepared, sql: sql)
                statements[sql] = (name, nil, statementUses)
            }
            result = withCStrings(values) { pointers in
                PQexecPrepared(handle, name, Int32(values.count), pointers, lengths, formats, 0)
            }
            do {
                try check(result, sql: sql)
            } catch {
                PQclear(result)
                throw error
            }
        }
        if statements[sql]?.columns == nil, PQnfields(result) > 0 {
            statements[sql]?.columns = RowColumns(names: (0..<PQnfields(result)).map { String(cString: PQfname(result, $0)) })
        }
        return (result, statements[sql]?.columns)
    }

    private func evictLeastRecentlyUsed() {
        guard let (sql, entry) = statements.min(by: { $0.value.lastUse < $1.value.lastUse }) else { return }
        statements[sql] = nil
        if let handle {
            // Outside a failed transaction only: there DEALLOCATE itself fails, and the name is never reused anyway.
            PQclear(PQexec(handle, "DEALLOCATE \(entry.name)"))
        }
    }

    /// A parameter's text; blobs travel as binary (their format is 1), so their bytes are passed as they are.
    private static func text(_ value: SQLValue) -> [CChar]? {
        switch value {
        case .null: nil
        case .integer(let integer): Array(String(integer).utf8CString)
        case .real(let real): Array(String(real).utf8CString)
        case .text(let text): Array(text.utf8CString)
        case .blob(let bytes): bytes.map { CChar(bitPattern: $0) } + [0]
        }
    }

    private func check(_ result: OpaquePointer?, sql: String) throws {
        let status = result.map { PQresultStatus($0) } ?? PGRES_FATAL_ERROR
        guard status != PGRES_COMMAND_OK, status != PGRES_TUPLES_OK else { return }
        throw PostgresSQL.error(result: result, connection: handle, sql: sql)
    }

    private static func rows(of result: OpaquePointer?, columns: RowColumns?) -> [Row] {
        guard let result, let columns else { return [] }
        let count = PQntuples(result)
        let fields = PQnfields(result)
        let types = (0..<fields).map { PQftype(result, $0) }
        var rows: [Row] = []
        rows.reserveCapacity(Int(count))
        for row in 0..<count {
            var values: [SQLValue] = []
            values.reserveCapacity(Int(fields))
            for field in 0..<fields {
                if PQgetisnull(result, row, field) == 1 {
                    values.append(.null)
                    continue
                }
                let text = String(cString: PQgetvalue(result, row, field))
                values.append(PostgresSQL.value(text, type: types[Int(field)]))
            }
            rows.append(Row(columns: columns, values: values))
        }
        return rows
    }
}

/// Calls `body` with C strings for `values` (`nil` stays a null pointer), valid only during the call.
func withCStrings<T>(_ values: [[CChar]?], _ body: ([UnsafePointer<CChar>?]) -> T) -> T {
    var pointers: [UnsafePointer<CChar>?] = []
    pointers.reserveCapacity(values.count)
    var buffers: [UnsafeMutableBufferPointer<CChar>] = []
    defer { buffers.forEach { $0.deallocate() } }
    for value in values {
        guard let value else {
            pointers.append(nil)
            continue
        }
        let buffer = UnsafeMutableBufferPointer<CChar>.allocate(capacity: value.count)
        _ = buffer.initialize(from: value)
        buffers.append(buffer)
        pointers.append(UnsafePointer(buffer.baseAddress))
    }
    return body(pointers)
}
#endif

#if PostgreSQL
extension PostgresSQL {
    /// The error of a failed result as ``SQLiteError``: SQLite's code for its SQLSTATE, and the state and
    /// PostgreSQL's message in the text (never the arguments, which the server does not echo either).
    static func error(result: OpaquePointer?, connection: OpaquePointer?, sql: String?) -> SQLiteError {
        let state = result.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "C"))) }.map { String(cString: $0) } ?? "08006"
        var message = result.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "M"))) }.map { String(cString: $0) }
        if message == nil { message = connection.map { String(cString: PQerrorMessage($0)) } }
        return SQLiteError(extendedCode: sqliteCode(forState: state), message: message ?? "no message", sql: sql, sqlState: state)
    }
}
#endif
