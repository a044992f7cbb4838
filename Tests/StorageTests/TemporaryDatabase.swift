import Foundation
import Storage

/// Opens a database in a fresh temporary directory, runs `body`, then closes it and removes the directory.
@discardableResult
func withTemporaryDatabase<T>(
    readerCount: Int = 4,
    _ body: (Database, URL) async throws -> T
) async throws -> T {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("storage-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let database = try Database(
        path: directory.appendingPathComponent("test.sqlite").path,
        configuration: .init(readerCount: readerCount)
    )
    defer { database.close() }
    return try await body(database, directory)
}

struct Boom: Error, Equatable {}

let createItems = """
    CREATE TABLE items (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        quantity INTEGER NOT NULL DEFAULT 0
    )
    """

func count(_ database: Database, _ table: String = "items") async throws -> Int64? {
    try await database.read { try $0.scalar("SELECT count(*) FROM \(table)") }
}
