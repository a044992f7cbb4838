import App
import Foundation
import Storage
import Testing

/// The PostgreSQL text of every migration (issue 25), without a database: SQLite-only forms must not reach it.
/// `bench/pg/apply_migrations.sh` applies the same texts to a real PostgreSQL, written by ``writeForScript()``.
@Suite("PostgreSQL migrations")
struct PostgresMigrationTests {
    /// Forms that PostgreSQL rejects or reads differently; each migration with one needs its own `postgres:` text.
    static let sqliteOnly = [
        "WITHOUT ROWID", "VIRTUAL TABLE", "fts5", "AUTOINCREMENT", "INSERT OR REPLACE", "INSERT OR IGNORE",
        "strftime(", "json_extract(", " INTEGER", " BLOB",
    ]

    @Test("no migration's PostgreSQL text has an SQLite-only form", arguments: BasarApp.migrations.map(\.name))
    func noSQLiteOnlyForms(name: String) throws {
        let migration = try #require(BasarApp.migrations.first { $0.name == name })
        let sql = migration.sql(for: .postgres)
        for form in Self.sqliteOnly {
            #expect(!code(of: sql).contains(form), "\(name) has \(form.debugDescription) in its PostgreSQL text")
        }
        // SQLite's trigger has its statements between BEGIN and END; PostgreSQL's runs a function.
        let triggers = code(of: sql).components(separatedBy: " TRIGGER ").count - 1
        #expect(triggers == code(of: sql).components(separatedBy: " EXECUTE FUNCTION ").count - 1, "\(name)")
    }

    @Test("with BASAR_PG_MIGRATIONS set, writes each PostgreSQL text there as NNN_name.sql, in order")
    func writeForScript() throws {
        guard let directory = ProcessInfo.processInfo.environment["BASAR_PG_MIGRATIONS"] else { return }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (index, migration) in BasarApp.migrations.enumerated() {
            let path = directory + "/" + String(format: "%03d_%@.sql", index, migration.name)
            try Data(migration.sql(for: .postgres).utf8).write(to: URL(fileURLWithPath: path))
        }
    }

    /// `sql` without its `--` comments, which may name what they replace.
    private func code(of sql: String) -> String {
        sql.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in line.range(of: "--").map { String(line[..<$0.lowerBound]) } ?? String(line) }
            .joined(separator: "\n")
    }
}
