import Foundation
import Storage

/// Opens a fresh database for one test, runs `body`, then closes and destroys it: an SQLite file in the temporary
/// directory, or a schema of its own when `BASAR_TEST_DATABASE_URL` names PostgreSQL
/// (``Database/temporaryPath(prefix:)``), so the engine-neutral suites run on both engines. `body` gets the path
/// too, for the SQLite-only suites' files beside it (the WAL).
@discardableResult
func withTemporaryDatabase<T>(
    readerCount: Int = 4, walCheckpointFrames: Int32? = nil,
    _ body: (Database, String) async throws -> T
) async throws -> T {
    let path = Database.temporaryPath(prefix: "storage-tests")
    defer { Database.destroy(at: path) }
    var configuration = Database.Configuration(readerCount: readerCount)
    if let walCheckpointFrames { configuration.walCheckpointFrames = walCheckpointFrames }
    let database = try Database(path: path, configuration: configuration)
    defer { database.close() }
    return try await body(database, path)
}

struct Boom: Error, Equatable {}

/// A table whose `id` numbers itself: SQLite's rowid, an identity column on PostgreSQL (``createItemsTable(in:)``).
let createItems = """
    CREATE TABLE items (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        quantity INTEGER NOT NULL DEFAULT 0
    )
    """

/// Runs SQLite-dialect DDL on either engine: on PostgreSQL translated as migrations are (``PostgresDDL``).
func execute(ddl sql: String, in db: any Transaction) throws {
    try db.execute(Migration("test_ddl", sql).sql(for: db.dialect))
}

/// Creates ``createItems``'s table on the transaction's engine.
func createItemsTable(in db: any Transaction) throws {
    try execute(ddl: createItems, in: db)
}

func count(_ database: Database, _ table: String = "items") async throws -> Int64? {
    try await database.read { try $0.scalar("SELECT count(*) FROM \(table)") }
}
