import CSQLite
import Synchronization

/// An SQLite database in WAL mode with one writer connection and a pool of read-only reader connections, after
/// GRDB's `DatabasePool` (STYLE.md §12).
///
/// Writes are serialized on the writer; reads run concurrently with each other and with the write, each on its
/// own snapshot (https://sqlite.org/wal.html). Every connection lives on its own serial `DispatchQueue`, so the
/// async methods never block the caller's thread.
public final class Database: Sendable {
    /// Options for opening a ``Database``.
    public struct Configuration: Sendable {
        /// The number of read-only connections, at least 1; more readers allow more concurrent reads.
        public var readerCount: Int = 4
        /// How hard SQLite flushes to disk; see ``Synchronous``.
        public var synchronous: Synchronous = .normal
        /// How long a connection waits for a lock before failing with `SQLITE_BUSY`.
        public var busyTimeoutMilliseconds: Int32 = 5000
        /// How many bytes of the database file each reader maps into memory (`mmap_size`), 0 for none. Mapped pages
        /// are read without a system call per page and shared by all readers through the page cache; reports that
        /// walk large tables (the feedback report's join over every order of the answering accounts) spend about
        /// half their time in `pread` without it. The writer does not map: its pages are the ones being changed.
        public var readerMmapBytes: Int64 = 256 << 20
        /// WAL frames (pages) after which the WAL is copied back into the database file (``WALCheckpointer``: the bulk
        /// beside the writer, the rest by the writer between batches).
        /// A checkpoint costs two fsyncs and one write per distinct page, however often the page changed, so rarer
        /// checkpoints cost less per commit: 8,192 frames (32 MiB) took paid checkouts from 1,535 to about 1,900
        /// a second against SQLite's 1,000 (bench/RESULTS.md). More would make readers search a longer WAL index.
        public var walCheckpointFrames: Int32 = 8192

        /// Creates a configuration.
        /// - Parameters:
        ///   - readerCount: The number of reader connections (at least 1).
        ///   - synchronous: The `synchronous` pragma of every connection.
        ///   - busyTimeoutMilliseconds: The busy timeout of every connection.
        public init(readerCount: Int = 4, synchronous: Synchronous = .normal, busyTimeoutMilliseconds: Int32 = 5000) {
            self.readerCount = readerCount
            self.synchronous = synchronous
            self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        }
    }

    /// The `synchronous` pragma (https://sqlite.org/pragma.html#pragma_synchronous).
    ///
    /// In WAL mode (https://sqlite.org/wal.html §"Performance Considerations"):
    /// - ``normal``: the WAL is synced only at checkpoints, not at each commit. The database can never be
    ///   corrupted, but a power loss or OS crash may roll back the most recent commits (they were acknowledged
    ///   yet not durable). An application crash loses nothing: the OS still holds the written pages.
    /// - ``full``: the WAL is synced at every commit, so every acknowledged commit survives a power loss, at the
    ///   cost of one fsync per transaction.
    public enum Synchronous: String, Sendable {
        case normal = "NORMAL"
        case full = "FULL"
    }

    /// The engine behind this database: SQLite's file, or (with the `PostgreSQL` trait) a PostgreSQL server.
    enum Engine: Sendable {
        case sqlite(SQLiteEngine)
        #if PostgreSQL
        case postgres(PostgresEngine)
        #endif
    }

    let engine: Engine
    private let isClosed = Mutex(false)
    /// Idempotency keys whose request is running in this process (see `Database+Idempotency.swift`).
    let keysInProgress = Mutex<Set<String>>([])

    /// Opens (creating if needed) the database: a file path opens SQLite; a `postgres://` or `postgresql://` URL
    /// opens PostgreSQL when the build has the `PostgreSQL` trait.
    /// - Parameters:
    ///   - path: A file path (`":memory:"` is not supported: readers need a shared file in WAL mode), or a URL.
    ///   - configuration: Pool size, durability and busy timeout.
    /// - Throws: ``SQLiteError`` if a connection cannot be opened or WAL cannot be enabled.
    public init(path: String, configuration: Configuration = .init()) throws {
        if Self.isPostgresURL(path) {
            #if PostgreSQL
            engine = .postgres(try PostgresEngine(url: path, configuration: configuration))
            return
            #else
            throw SQLiteError.misuse("this build has no PostgreSQL engine: build with --traits PostgreSQL")
            #endif
        }
        engine = .sqlite(try SQLiteEngine(path: path, configuration: configuration))
    }

    /// Whether `path` names a PostgreSQL database rather than an SQLite file.
    public static func isPostgresURL(_ path: String) -> Bool {
        path.hasPrefix("postgres://") || path.hasPrefix("postgresql://")
    }

    /// The engine's SQL dialect.
    public var dialect: SQLDialect {
        switch engine {
        case .sqlite: .sqlite
        #if PostgreSQL
        case .postgres: .postgres
        #endif
        }
    }

    /// SQLite's engine, for SQLite-only operations (backup, checkpoints).
    var sqlite: SQLiteEngine? {
        if case .sqlite(let engine) = engine { return engine }
        return nil
    }

    // No deinit: each Connection closes itself when its SerializedConnection is released, which happens only
    // after the last closure queued on it has run, so dropping the Database never races in-flight work.

    /// Runs `body` in a write transaction on the single writer connection.
    ///
    /// The transaction is `BEGIN IMMEDIATE`, so it takes the write lock up front and never fails half-way on lock
    /// upgrade (https://sqlite.org/lang_transaction.html). Writes from all callers are serialized; writes that wait
    /// while a commit runs share the next transaction (``GroupCommit``), a failing one fails alone, and each caller
    /// is answered only after that transaction committed.
    /// - Parameter body: The work; it may run several statements, all committed together. It may run more than once
    ///   (a batch with a failing write runs again), so its only effects are on the transaction.
    /// - Returns: What `body` returns.
    /// - Throws: The first error `body` throws, after rolling back; or ``SQLiteError`` from BEGIN or COMMIT.
    @discardableResult
    public func write<T: Sendable>(_ body: @escaping @Sendable (any Transaction) throws -> T) async throws -> T {
        switch engine {
        case .sqlite(let sqlite): try await sqlite.write(body)
        #if PostgreSQL
        case .postgres(let postgres): try await postgres.write(body)
        #endif
        }
    }

    /// Like ``write(_:)``, for bookkeeping that appends no event and schedules no job (a rate slot, this node's viewer
    /// counts): on PostgreSQL its commit wakes neither this node's observers nor, by `NOTIFY`, the other nodes, whose
    /// streams and consumers would otherwise read the log for nothing several times a second. On SQLite it is
    /// ``write(_:)``.
    /// - Parameter body: The work; it must not append events or schedule jobs.
    /// - Returns: What `body` returns.
    /// - Throws: The first error `body` throws, after rolling back; or the engine's error from BEGIN or COMMIT.
    @discardableResult
    public func writeUnannounced<T: Sendable>(
        _ body: @escaping @Sendable (any Transaction) throws -> T
    ) async throws -> T {
        switch engine {
        case .sqlite(let sqlite): try await sqlite.write(body)
        #if PostgreSQL
        case .postgres(let postgres): try await postgres.write(announcing: false, body)
        #endif
        }
    }

    /// Registers a function called after every commit of ``write(_:)``; it runs on the writer's queue, so it must
    /// only signal someone (never touch the database or block).
    public func onCommit(_ observer: @escaping @Sendable () -> Void) {
        switch engine {
        case .sqlite(let sqlite): sqlite.groupCommit.observers.withLock { $0.append(observer) }
        #if PostgreSQL
        case .postgres(let postgres): postgres.onCommit(observer)
        #endif
        }
    }

    /// Registers a function called when other nodes may have committed: on PostgreSQL, for their notifications and
    /// once a second (a lost notification only delays); never on SQLite, whose file has one writing process. Like
    /// ``onCommit(_:)`` it must only signal.
    public func onOtherNodesCommit(_ observer: @escaping @Sendable () -> Void) {
        #if PostgreSQL
        if case .postgres(let postgres) = engine { postgres.onOtherNodesCommit(observer) }
        #endif
    }

    /// Registers a function called after a commit of ``write(_:)`` that scheduled a job, with the earliest due time
    /// it gave one; on the writer's queue, so it must only signal (the started ``Scheduler``'s wake-up).
    func onJobScheduled(_ observer: @escaping @Sendable (Int64) -> Void) {
        switch engine {
        case .sqlite(let sqlite): sqlite.groupCommit.scheduleObservers.withLock { $0.append(observer) }
        #if PostgreSQL
        case .postgres(let postgres): postgres.onJobScheduled(observer)
        #endif
        }
    }

    /// Runs `body` on a reader connection inside one read transaction, so all its queries see one snapshot.
    ///
    /// Waits for an idle reader if all ``Configuration/readerCount`` readers are busy.
    /// - Parameter body: The queries; a write in it fails with `SQLITE_READONLY`.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws, or ``SQLiteError``.
    public func read<T: Sendable>(_ body: @escaping @Sendable (any Transaction) throws -> T) async throws -> T {
        switch engine {
        case .sqlite(let sqlite): try await sqlite.read(body)
        #if PostgreSQL
        case .postgres(let postgres): try await postgres.read(body)
        #endif
        }
    }

    /// Runs a short, bounded read — a few primary-key or unique-index lookups — on the caller's thread when a reader
    /// is idle, else like ``read(_:)``.
    ///
    /// Why: for a point read the two thread hops of ``read(_:)`` (to the reader's queue and back to the caller's
    /// executor) cost more than the query, and they were a third of a product-by-id request. A lookup holds a
    /// cooperative-pool thread for microseconds, which is cheaper than parking it; anything that scans, sorts or
    /// searches must use ``read(_:)`` so that it never holds the pool. Never call it from an event-loop thread.
    /// - Parameter body: The queries, all on one snapshot; a write in it fails with `SQLITE_READONLY`.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws, or ``SQLiteError``.
    public func lookup<T: Sendable>(_ body: @escaping @Sendable (any Transaction) throws -> T) async throws -> T {
        switch engine {
        case .sqlite(let sqlite): try await sqlite.lookup(body)
        #if PostgreSQL
        case .postgres(let postgres): try await postgres.read(body)
        #endif
        }
    }

    /// Like ``write(_:)`` but blocks the calling thread. For the CLI and start-up only: never call it from an
    /// async context or an event-loop thread.
    /// - Parameter body: The work to run in one transaction.
    /// - Returns: What `body` returns.
    /// - Throws: The first error `body` throws, after rolling back; or ``SQLiteError``.
    @discardableResult
    public func writeSync<T>(_ body: (any Transaction) throws -> T) throws -> T {
        switch engine {
        case .sqlite(let sqlite): try sqlite.writeSync(body)
        #if PostgreSQL
        case .postgres(let postgres): try postgres.writeSync(body)
        #endif
        }
    }

    /// Closes every connection after the work already queued on it. Later calls fail with `SQLITE_MISUSE`.
    /// Idempotent. Blocks until done, so never call it from inside a `write` or `read` closure.
    public func close() {
        let wasClosed = isClosed.withLock { closed in
            defer { closed = true }
            return closed
        }
        guard !wasClosed else { return }
        switch engine {
        case .sqlite(let sqlite): sqlite.close()
        #if PostgreSQL
        case .postgres(let postgres): postgres.close()
        #endif
        }
    }
}
