/// A named schema change. Migrations are append-only: never edit or reorder one that has shipped (STYLE.md §13).
public struct Migration: Sendable {
    /// The unique name recorded in `schema_migrations`, e.g. `"0003_create_coupons"`.
    public let name: String
    /// One or more SQL statements, run in one transaction.
    public let sql: String

    /// Creates a migration.
    /// - Parameters:
    ///   - name: The unique, stable name.
    ///   - sql: The statements to run.
    public init(_ name: String, _ sql: String) {
        self.name = name
        self.sql = sql
    }
}

/// Why ``Database/migrate(_:)`` refused to run.
public enum MigrationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database records migrations this binary does not know: it was written by a newer version.
    case unknownMigrations([String])
    /// The list names a migration twice.
    case duplicateName(String)

    public var description: String {
        switch self {
        case .unknownMigrations(let names):
            "database has migrations this build does not know (a newer version wrote it): "
                + names.joined(separator: ", ")
        case .duplicateName(let name):
            "migration \(name) is listed twice"
        }
    }
}

extension Database {
    /// Applies the migrations not yet recorded, in list order, each in its own transaction with its record.
    ///
    /// Re-running with the same list is a no-op. A statement that cannot run inside a transaction (`VACUUM`,
    /// `PRAGMA foreign_keys`, `PRAGMA journal_mode`) does not belong in a migration
    /// (https://sqlite.org/pragma.html#pragma_foreign_keys, https://sqlite.org/lang_altertable.html §7).
    /// - Parameter migrations: The complete, append-only list of the application's migrations.
    /// - Throws: ``MigrationError`` if the database records a migration missing from the list or the list repeats
    ///   a name; ``SQLiteError`` from a failing migration, which is rolled back (earlier ones stay applied).
    public func migrate(_ migrations: [Migration]) async throws {
        var seen = Set<String>()
        for migration in migrations where !seen.insert(migration.name).inserted {
            throw MigrationError.duplicateName(migration.name)
        }
        let known = seen
        let applied = try await write { db in
            try db.execute(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    name TEXT PRIMARY KEY NOT NULL,
                    applied_at TEXT NOT NULL
                )
                """
            )
            return Set(try db.query("SELECT name FROM schema_migrations").map { $0.string("name") })
        }
        let unknown = applied.subtracting(known).sorted()
        guard unknown.isEmpty else { throw MigrationError.unknownMigrations(unknown) }

        for migration in migrations where !applied.contains(migration.name) {
            try await write { db in
                // Re-check inside the write lock, in case another process migrated in the meantime.
                guard try db.scalar("SELECT count(*) FROM schema_migrations WHERE name = ?", migration.name) == 0 else {
                    return
                }
                try db.execute(migration.sql)
                try db.run(
                    """
                    INSERT INTO schema_migrations (name, applied_at)
                    VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                    """,
                    migration.name
                )
            }
        }
    }
}
