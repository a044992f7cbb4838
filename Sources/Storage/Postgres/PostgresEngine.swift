#if PostgreSQL
import CLibPQ
import Dispatch
import Foundation
import Synchronization

/// PostgreSQL's side of ``Database``: a pool of libpq connections, each on its own serial queue, shared by reads and
/// writes; writes retried when PostgreSQL chose them as a serialization or deadlock victim; and the cross-node
/// wake-up (``PostgresNotifier``), so that every node's consumers and streams hear of every node's commits.
final class PostgresEngine: Sendable {
    private let connections: [PostgresSlot]
    private let pool: ReaderPool
    private let notifier: PostgresNotifier
    private let observers = Mutex<[@Sendable () -> Void]>([])
    private let scheduleObservers = Mutex<[@Sendable (Int64) -> Void]>([])
    private let otherNodesObservers = Mutex<[@Sendable () -> Void]>([])
    /// Attempts of one write before its serialization or deadlock error reaches the caller.
    static let maxAttempts = 8

    /// - Parameters:
    ///   - url: `postgresql://…` as libpq takes it, plus Basar's own `schema=NAME` (tests use a schema each).
    ///   - configuration: the pool holds `2 × readerCount` connections (reads and writes share it).
    init(url: String, configuration: Database.Configuration) throws {
        let (conninfo, schema) = Self.split(url)
        let first = try PostgresConnection(conninfo: conninfo, schema: nil)
        // IF NOT EXISTS still fails on a race with another node creating it; then it exists, which is all we need.
        if let schema {
            do {
                try first.execute("CREATE SCHEMA IF NOT EXISTS \(PostgresConnection.quoted(schema))")
            } catch {
                guard try first.scalar("SELECT COUNT(*) FROM pg_namespace WHERE nspname = ?", schema) == 1 else { throw error }
            }
        }
        first.close()
        // Connections open on first use: an idle node (or one of many tests at once) holds few of the server's.
        connections = (0..<max(2, configuration.readerCount * 2)).map { index in
            PostgresSlot(label: "basar.storage.postgres.\(index)") { try PostgresConnection(conninfo: conninfo, schema: schema) }
        }
        pool = ReaderPool(count: connections.count)
        notifier = try PostgresNotifier(conninfo: conninfo, channel: "basar_" + (schema ?? "public"))
        notifier.onNotification = { [weak self] in
            guard let self else { return }
            for observer in observers.withLock({ $0 }) { observer() }
            for observer in otherNodesObservers.withLock({ $0 }) { observer() }
        }
    }

    /// Splits Basar's `schema` parameter off the URL: libpq refuses parameters it does not know.
    static func split(_ url: String) -> (conninfo: String, schema: String?) {
        guard var components = URLComponents(string: url) else { return (url, nil) }
        let schema = components.queryItems?.first { $0.name == "schema" }?.value
        components.queryItems = components.queryItems?.filter { $0.name != "schema" }
        if components.queryItems?.isEmpty == true { components.queryItems = nil }
        return (components.string ?? url, schema)
    }

    func onCommit(_ observer: @escaping @Sendable () -> Void) {
        observers.withLock { $0.append(observer) }
    }

    func onOtherNodesCommit(_ observer: @escaping @Sendable () -> Void) {
        otherNodesObservers.withLock { $0.append(observer) }
    }

    func onJobScheduled(_ observer: @escaping @Sendable (Int64) -> Void) {
        scheduleObservers.withLock { $0.append(observer) }
    }

    /// One READ COMMITTED transaction on a pooled connection, run again from the start (bounded) when PostgreSQL
    /// aborted it as a serialization failure or deadlock victim; the body must therefore only touch the database.
    /// - Parameter announcing: false for bookkeeping that no observer or other node waits for
    ///   (``Database/writeUnannounced(_:)``); a job it scheduled is announced all the same.
    func write<T: Sendable>(
        announcing: Bool = true, _ body: @escaping @Sendable (any Transaction) throws -> T
    ) async throws -> T {
        let (value, due) = try await withConnection { connection in try Self.transaction(connection, body) }
        if announcing || due != nil { committed(due: due) }
        return value
    }

    /// A read on one snapshot: REPEATABLE READ, READ ONLY, so all its queries agree as on SQLite's readers.
    func read<T: Sendable>(_ body: @escaping @Sendable (any Transaction) throws -> T) async throws -> T {
        try await withConnection { connection in
            connection.begin(["BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"])
            do {
                let value = try body(connection)
                try connection.commitWithoutWaiting()
                return value
            } catch {
                connection.rollback()
                connection.recoverIfBroken()
                throw error
            }
        }
    }

    /// For the CLI and start-up: blocks the caller until a connection is free.
    func writeSync<T>(_ body: (any Transaction) throws -> T) throws -> T {
        var index = pool.tryAcquire()
        while index == nil {
            usleep(1000)
            index = pool.tryAcquire()
        }
        defer { pool.release(index!) }
        let (value, due) = try connections[index!].runSync { connection in try Self.transaction(connection, body) }
        committed(due: due)
        return value
    }

    func close() {
        notifier.close()
        for slot in connections { slot.close() }
    }

    private static func transaction<T>(
        _ connection: PostgresConnection, _ body: (any Transaction) throws -> T
    ) throws -> (T, Int64?) {
        var attempt = 0
        while true {
            attempt += 1
            connection.earliestScheduledDue = nil
            do {
                // Writes take turns cluster-wide, as on SQLite's single writer. Why: event ids must become visible in
                // id order (EventLog.append), so appenders hold one lock to COMMIT; taken at the first append, mid-
                // transaction, it deadlocked with row locks taken before it by other writers (a kill -9 test under
                // mixed load answered 47 requests in 3 rounds, the rest waiting out deadlock detection and retries).
                // Taken first, nobody holds a row another holder waits for. Reads do not take it and scale across
                // nodes. Ordering appends at COMMIT instead (a deferred trigger assigning log positions) would let
                // writers overlap; not done yet.
                connection.begin(["BEGIN", PostgresSQL.advisoryLock(EventLog.appendLock)])
                let value = try body(connection)
                try connection.execute("COMMIT")
                return (value, connection.earliestScheduledDue)
            } catch {
                connection.rollback()
                connection.recoverIfBroken()
                guard let failure = error as? SQLiteError, retries(failure), attempt < maxAttempts else { throw error }
                // Backs off a little, with jitter, so that the two sides of a deadlock do not meet again at once.
                usleep(UInt32.random(in: 0...(500 << min(attempt, 6))))
            }
        }
    }

    /// Whether a write runs again after `error`: a serialization failure or deadlock (it did nothing and may
    /// succeed now), or a unique violation the body did not handle. Stores that expect one catch it in a savepoint;
    /// one that reaches here is a check-then-insert that raced another node's insert (SQLite's single writer never
    /// lets them overlap), and on the run again the check sees the committed row and answers as on SQLite.
    private static func retries(_ error: SQLiteError) -> Bool {
        error.isBusy || error.isUniqueConstraintViolation
    }

    private func committed(due: Int64?) {
        for observer in observers.withLock({ $0 }) { observer() }
        if let due { for observer in scheduleObservers.withLock({ $0 }) { observer(due) } }
        notifier.committed()
    }

    private func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        let index = await pool.acquire()
        defer { pool.release(index) }
        return try await connections[index].run(body)
    }
}

/// A ``PostgresConnection`` pinned to its own serial queue, like SQLite's ``SerializedConnection``.
/// `@unchecked Sendable` invariant: `connection` is touched only by closures on `queue`, which the pool hands to one
/// caller at a time.
final class PostgresSlot: @unchecked Sendable {
    private var connection: PostgresConnection?
    /// Set by ``close()``: a closed database fails later calls, as SQLite's does, instead of connecting again.
    private var isClosed = false
    private let connect: () throws -> PostgresConnection
    private let queue: DispatchQueue

    init(label: String, connect: @escaping () throws -> PostgresConnection) {
        self.connect = connect
        queue = DispatchQueue(label: label)
    }

    func run<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body(self.opened()) }) }
        }
    }

    func runSync<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try queue.sync { try body(opened()) }
    }

    /// The connection, opened on first use (on the queue).
    private func opened() throws -> PostgresConnection {
        if let connection { return connection }
        guard !isClosed else { throw SQLiteError.misuse("the database is closed") }
        let connection = try connect()
        self.connection = connection
        return connection
    }

    func close() {
        queue.sync {
            isClosed = true
            connection?.close()
            connection = nil
        }
    }
}
#endif
