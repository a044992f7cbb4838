/// A named schema change. Migrations are append-only: never edit or reorder one that has shipped (STYLE.md §13).
public struct Migration: Sendable {
    /// The unique name recorded in `schema_migrations`, e.g. `"0003_create_coupons"`.
    public let name: String
    /// One or more SQL statements, run in one transaction.
    public let sql: String
    /// The same change for PostgreSQL where ``PostgresDDL`` cannot derive it from ``sql`` (full-text search,
    /// triggers); `nil` derives it.
    public let postgres: String?

    /// Creates a migration.
    /// - Parameters:
    ///   - name: The unique, stable name.
    ///   - sql: The statements to run, in SQLite's dialect.
    ///   - postgres: The statements for PostgreSQL, when they are not ``sql`` with its types translated.
    public init(_ name: String, _ sql: String, postgres: String? = nil) {
        self.name = name
        self.sql = sql
        self.postgres = postgres
    }

    /// The statements for `dialect`.
    public func sql(for dialect: SQLDialect) -> String {
        switch dialect {
        case .sqlite: sql
        case .postgres: postgres ?? PostgresDDL.translate(sql)
        }
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
    /// The advisory lock key of migrations on PostgreSQL ("bami" in ASCII) with the schema's hash.
    static let migrationLock: Int32 = 0x6261_6D69

    /// Whether a `basar serve` ever migrated this database (the CLI refuses to work on an empty one).
    public func hasMigrations() async throws -> Bool {
        try await read { db in
            let sql = switch db.dialect {
            case .sqlite: "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
            case .postgres: "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'"
            }
            return try db.scalar(sql) ?? 0 > 0
        }
    }

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
                // Nodes starting together on PostgreSQL take turns here (SQLite's writer lock does this itself).
                if db.dialect == .postgres {
                    _ = try db.query(PostgresSQL.advisoryLock(Self.migrationLock))
                }
                // Re-check inside the write lock, in case another process migrated in the meantime.
                guard try db.scalar("SELECT count(*) FROM schema_migrations WHERE name = ?", migration.name) == 0 else {
                    return
                }
                try db.execute(migration.sql(for: db.dialect))
                // The database's clock on purpose: when a schema changed is an operations fact, not business time.
                let now = switch db.dialect {
                case .sqlite: "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
                case .postgres: "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
                }
                try db.run("INSERT INTO schema_migrations (name, applied_at) VALUES (?, \(now))", migration.name)
            }
        }
    }
}
