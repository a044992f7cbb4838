import CSQLite
import Glibc

extension Database {
    /// Copies the database to `path` with SQLite's online backup API (https://sqlite.org/backup.html).
    ///
    /// The copy is taken from a reader connection in a single step, so it is one consistent snapshot; in WAL mode
    /// the writer and the other readers carry on meanwhile. An existing file at `path` is replaced.
    /// - Parameter path: The destination file.
    /// - Throws: ``SQLiteError`` if the destination cannot be opened or the copy fails.
    public func backup(to path: String) async throws {
        guard let sqlite else { throw SQLiteError.misuse("backup is SQLite's; on PostgreSQL use pg_dump") }
        try await sqlite.withReader { reader in
            try await reader.run { connection in
                guard let source = connection.handle else { throw SQLiteError.misuse("the database is closed") }
                try Self.copy(from: source, to: path)
            }
        }
    }

    private static func copy(from source: OpaquePointer, to path: String) throws {
        var destination: OpaquePointer?
        let openCode = sqlite3_open_v2(path, &destination, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil)
        defer { sqlite3_close_v2(destination) }
        try check(openCode, destination, sql: nil)

        guard let backup = sqlite3_backup_init(destination, "main", source, "main") else {
            throw SQLiteError(connection: destination, sql: nil)
        }
        var code: Int32
        var attempts = 0
        repeat {
            // -1 copies every page in one step, under one read transaction: one snapshot, no restarts.
            code = sqlite3_backup_step(backup, -1)
            if code == SQLITE_BUSY || code == SQLITE_LOCKED {
                attempts += 1
                usleep(10_000)
            }
        } while (code == SQLITE_BUSY || code == SQLITE_LOCKED) && attempts < 500
        // sqlite3_backup_finish reports the step's error, if any, on the destination connection.
        let finishCode = sqlite3_backup_finish(backup)
        guard code == SQLITE_DONE else {
            let reason = String(cString: sqlite3_errstr(code))
            throw SQLiteError(extendedCode: code, message: "backup failed: \(reason)", sql: nil)
        }
        try check(finishCode, destination, sql: nil)
    }
}
