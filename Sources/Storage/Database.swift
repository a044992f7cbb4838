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

    let path: String
    let configuration: Configuration
    let writer: SerializedConnection
    private let groupCommit: GroupCommit
    let readers: [SerializedConnection]
    let readerPool: ReaderPool
    private let isClosed = Mutex(false)
    /// Copies the WAL into the database file off the writer's queue (see ``committed()``).
    let checkpointer: SerializedConnection
    private let checkpoints = Mutex((commits: 0, running: false))
    /// Commits between two checkpoints: a bid or an order writes 10–30 pages, so the checkpointer runs a few times
    /// before the WAL crosses the 1,000 pages at which the writer checkpoints itself.
    static let commitsPerCheckpoint = 32
    /// Idempotency keys whose request is running (see `Database+Idempotency.swift`).
    let keysInProgress = Mutex<Set<String>>([])

    /// Opens (creating if needed) the database file, its writer and its readers.
    /// - Parameters:
    ///   - path: A file path. `":memory:"` is not supported: readers need a shared file in WAL mode.
    ///   - configuration: Pool size, durability and busy timeout.
    /// - Throws: ``SQLiteError`` if a connection cannot be opened or WAL cannot be enabled.
    public init(path: String, configuration: Configuration = .init()) throws {
        guard !path.isEmpty, path != ":memory:", !path.hasPrefix("file::memory:") else {
            throw SQLiteError.misuse("Database needs a file path; in-memory databases cannot be shared by readers")
        }
        self.path = path
        self.configuration = configuration
        let synchronous = "synchronous = \(configuration.synchronous.rawValue)"

        let writerConnection = try Connection(
            path: path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
            configuration: configuration
        )
        // WAL is persistent in the file; readers then never block the writer nor it them (https://sqlite.org/wal.html).
        let mode = try writerConnection.pragma("journal_mode = WAL")
        guard case .text(let name) = mode, name.lowercased() == "wal" else {
            throw SQLiteError(extendedCode: SQLITE_CANTOPEN, message: "could not enable WAL mode", sql: nil)
        }
        _ = try writerConnection.pragma(synchronous)
        // Deleted content is overwritten, so erased personal data does not linger in free pages (API.md §24).
        _ = try writerConnection.pragma("secure_delete = ON")
        // SQLite's automatic checkpoint stays on the writer: only a checkpoint that runs between the writer's
        // transactions can reach the WAL's end, which SQLite needs before it reuses the WAL from its start. The
        // checkpointer below has copied most frames by then, so the writer's own checkpoint copies few.
        writer = SerializedConnection(connection: writerConnection, label: "basar.storage.writer")
        groupCommit = GroupCommit(writer: writer)
        let checkpointConnection = try Connection(
            path: path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, configuration: configuration
        )
        _ = try checkpointConnection.pragma(synchronous)
        checkpointer = SerializedConnection(connection: checkpointConnection, label: "basar.storage.checkpointer")

        // Readers open only now that the file is in WAL mode. READONLY makes a stray write fail instead of racing.
        var readers: [SerializedConnection] = []
        for index in 0..<max(1, configuration.readerCount) {
            let connection = try Connection(
                path: path, flags: SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, configuration: configuration
            )
            _ = try connection.pragma(synchronous)
            _ = try connection.pragma("mmap_size = \(configuration.readerMmapBytes)")
            readers.append(SerializedConnection(connection: connection, label: "basar.storage.reader.\(index)"))
        }
        self.readers = readers
        readerPool = ReaderPool(count: readers.count)
        groupCommit.observers.withLock { $0.append { [weak self] in self?.committed() } }
    }

    /// Counts a commit; every ``commitsPerCheckpoint`` commits a PASSIVE checkpoint runs on the checkpointer's own
    /// queue (https://sqlite.org/wal.html#ckpt). It copies what no reader still needs and waits for nobody, so the
    /// writer goes on committing meanwhile. Alone it cannot bound the WAL (under steady writes it never reaches the
    /// WAL's end; `CheckpointerTests`), so SQLite's automatic checkpoint still runs in the commit that crosses 1,000
    /// pages, but finds most frames copied: that commit's callers wait for a short copy instead of a whole one.
    private func committed() {
        let start = checkpoints.withLock { state -> Bool in
            state.commits += 1
            guard state.commits >= Self.commitsPerCheckpoint, !state.running else { return false }
            state = (0, true)
            return true
        }
        guard start else { return }
        checkpointer.runAsync { [self] connection in
            _ = try? connection.query("PRAGMA wal_checkpoint(PASSIVE)")
            checkpoints.withLock { $0.running = false }
        }
    }

    // No deinit: each Connection closes itself when its SerializedConnection is released, which happens only
    // after the last closure queued on it has run, so dropping the Database never races in-flight work.

    /// Runs `body` in a write transaction on the single writer connection.
    ///
    /// The transaction is `BEGIN IMMEDIATE`, so it takes the write lock up front and never fails half-way on lock
    /// upgrade (https://sqlite.org/lang_transaction.html). Writes from all callers are serialized; writes that wait
    /// while a commit runs share the next transaction, each in its own savepoint (``GroupCommit``), and each caller
    /// is answered only after that transaction committed.
    /// - Parameter body: The work; it may run several statements, all committed together.
    /// - Returns: What `body` returns.
    /// - Throws: The first error `body` throws, after rolling back; or ``SQLiteError`` from BEGIN or COMMIT.
    @discardableResult
    public func write<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        try await groupCommit.write(body)
    }

    /// Registers a function called after every commit of ``write(_:)``; it runs on the writer's queue, so it must
    /// only signal someone (never touch the database or block).
    public func onCommit(_ observer: @escaping @Sendable () -> Void) {
        groupCommit.observers.withLock { $0.append(observer) }
    }

    /// Registers a function called after a commit of ``write(_:)`` that scheduled a job, with the earliest due time
    /// it gave one; on the writer's queue, so it must only signal (the started ``Scheduler``'s wake-up).
    func onJobScheduled(_ observer: @escaping @Sendable (Int64) -> Void) {
        groupCommit.scheduleObservers.withLock { $0.append(observer) }
    }

    /// Runs `body` on a reader connection inside one read transaction, so all its queries see one snapshot.
    ///
    /// Waits for an idle reader if all ``Configuration/readerCount`` readers are busy.
    /// - Parameter body: The queries; a write in it fails with `SQLITE_READONLY`.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws, or ``SQLiteError``.
    public func read<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        try await withReader { reader in
            try await reader.run { try $0.inTransaction(.deferred, body) }
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
    public func lookup<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        guard let index = readerPool.tryAcquire() else { return try await read(body) }
        defer { readerPool.release(index) }
        return try readers[index].runHere { try $0.inTransaction(.deferred, body) }
    }

    /// Like ``write(_:)`` but blocks the calling thread. For the CLI and start-up only: never call it from an
    /// async context or an event-loop thread.
    /// - Parameter body: The work to run in one transaction.
    /// - Returns: What `body` returns.
    /// - Throws: The first error `body` throws, after rolling back; or ``SQLiteError``.
    @discardableResult
    public func writeSync<T>(_ body: (Connection) throws -> T) throws -> T {
        try writer.runSync { try $0.inTransaction(.immediate, body) }
    }

    /// Closes every connection after the work already queued on it. Later calls fail with `SQLITE_MISUSE`.
    /// Idempotent. Blocks until done, so never call it from inside a `write` or `read` closure.
    public func close() {
        let wasClosed = isClosed.withLock { closed in
            defer { closed = true }
            return closed
        }
        guard !wasClosed else { return }
        writer.close()
        checkpointer.close()
        for reader in readers { reader.close() }
    }

    /// Borrows an idle reader for the duration of `body`.
    func withReader<T: Sendable>(_ body: (SerializedConnection) async throws -> T) async throws -> T {
        let index = await readerPool.acquire()
        defer { readerPool.release(index) }
        return try await body(readers[index])
    }
}
