import Dispatch
import Foundation

#if PostgreSQL
private let dropQueue = DispatchQueue(label: "basar.storage.postgres.drop")
#endif

extension Database {
    /// Deletes a database that nobody has open any more: an SQLite file with its WAL and shared-memory files, or
    /// for a `postgres://…?schema=NAME` URL that schema with everything in it (each test gets a schema of its own).
    public static func destroy(at path: String) {
        guard isPostgresURL(path) else {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            return
        }
        #if PostgreSQL
        // Off the caller's thread, one at a time: dropping a schema of a hundred tables takes a while, and tests call
        // this from the cooperative pool (two threads on two cores), which must not wait for it.
        dropQueue.async {
            let (conninfo, schema) = PostgresEngine.split(path)
            guard let schema, let connection = try? PostgresConnection(conninfo: conninfo, schema: nil) else { return }
            try? connection.execute("DROP SCHEMA IF EXISTS \(PostgresConnection.quoted(schema)) CASCADE")
            connection.close()
        }
        #endif
    }

    /// Whether tests run on PostgreSQL (`BASAR_TEST_DATABASE_URL` names a PostgreSQL database).
    public static var testsUsePostgres: Bool {
        ProcessInfo.processInfo.environment["BASAR_TEST_DATABASE_URL"].map(isPostgresURL) ?? false
    }

    /// A new database for a test: a file in the temporary directory, or, when `BASAR_TEST_DATABASE_URL` names a
    /// PostgreSQL database, a fresh schema in it. Remove it with ``destroy(at:)``.
    public static func temporaryPath(prefix: String = "basar-test") -> String {
        let id = UUID().uuidString
        if testsUsePostgres, let base = ProcessInfo.processInfo.environment["BASAR_TEST_DATABASE_URL"] {
            let schema = "t_" + id.replacingOccurrences(of: "-", with: "").lowercased()
            return base + (base.contains("?") ? "&" : "?") + "schema=" + schema
        }
        return FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(id).sqlite").path
    }
}
