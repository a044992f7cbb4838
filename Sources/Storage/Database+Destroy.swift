import Foundation

extension Database {
    /// Deletes a database that nobody has open any more: an SQLite file with its WAL and shared-memory files, or
    /// for a `postgres://…?schema=NAME` URL that schema with everything in it (each test gets a schema of its own).
    public static func destroy(at path: String) {
        guard isPostgresURL(path) else {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            return
        }
        #if PostgreSQL
        let (conninfo, schema) = PostgresEngine.split(path)
        guard let schema, let connection = try? PostgresConnection(conninfo: conninfo, schema: nil) else { return }
        try? connection.execute("DROP SCHEMA IF EXISTS \(PostgresConnection.quoted(schema)) CASCADE")
        connection.close()
        #endif
    }

    /// A new database for a test: a file in the temporary directory, or, when `BASAR_TEST_DATABASE_URL` names a
    /// PostgreSQL database, a fresh schema in it. Remove it with ``destroy(at:)``.
    public static func temporaryPath(prefix: String = "basar-test") -> String {
        let id = UUID().uuidString
        if let base = ProcessInfo.processInfo.environment["BASAR_TEST_DATABASE_URL"], isPostgresURL(base) {
            let schema = "t_" + id.replacingOccurrences(of: "-", with: "").lowercased()
            return base + (base.contains("?") ? "&" : "?") + "schema=" + schema
        }
        return FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(id).sqlite").path
    }
}
