import CSQLite

/// SQLite's side of ``Database``: one writer connection behind group commit, and read-only readers.
final class SQLiteEngine: Sendable {
    let path: String
    let configuration: Database.Configuration
    let writer: SerializedConnection
    let groupCommit: GroupCommit
    let checkpointer: WALCheckpointer
    let readers: [SerializedConnection]
    let readerPool: ReaderPool

    init(path: String, configuration: Database.Configuration) throws {
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
        // The writer reads without mmap, so pages its cache dropped are read again with a system call; Debian's
        // default cache is 2 MB, less than the hot pages of the second edition's tables (bench: 12 µs of system CPU
        // per checkout less with 64 MiB). The cache only grows to what is read.
        _ = try writerConnection.pragma("cache_size = -65536")
        // Checkpoints start after a batch's callers were answered (GroupCommit's afterCommit, WALCheckpointer), not
        // inside the COMMIT that crossed the threshold as SQLite's automatic checkpoint does; the hook turns it off.
        writerConnection.countWALFrames()
        writer = SerializedConnection(connection: writerConnection, label: "basar.storage.writer")
        let checkpointerConnection = try Connection(
            path: path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, configuration: configuration
        )
        _ = try checkpointerConnection.pragma(synchronous)
        let checkpointer = WALCheckpointer(
            connection: SerializedConnection(connection: checkpointerConnection, label: "basar.storage.checkpointer"),
            threshold: configuration.walCheckpointFrames
        )
        self.checkpointer = checkpointer
        groupCommit = GroupCommit(writer: writer) { checkpointer.afterCommit($0) }
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
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any Transaction) throws -> T) async throws -> T {
        try await groupCommit.write(body)
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (any Transaction) throws -> T) async throws -> T {
        try await withReader { reader in
            try await reader.run { try $0.inTransaction(.deferred, body) }
        }
    }

    func lookup<T: Sendable>(_ body: @escaping @Sendable (any Transaction) throws -> T) async throws -> T {
        guard let index = readerPool.tryAcquire() else { return try await read(body) }
        defer { readerPool.release(index) }
        return try readers[index].runHere { try $0.inTransaction(.deferred, body) }
    }

    func writeSync<T>(_ body: (any Transaction) throws -> T) throws -> T {
        try writer.runSync { try $0.inTransaction(.immediate, body) }
    }

    func close() {
        // The writer closes last: the last connection to close checkpoints the WAL and removes it, which a
        // read-only reader cannot do (it left the WAL behind, a clean stop looking like a crash).
        for reader in readers { reader.close() }
        checkpointer.close()
        writer.close()
    }

    /// Borrows an idle reader for the duration of `body`.
    func withReader<T: Sendable>(_ body: (SerializedConnection) async throws -> T) async throws -> T {
        let index = await readerPool.acquire()
        defer { readerPool.release(index) }
        return try await body(readers[index])
    }
}
