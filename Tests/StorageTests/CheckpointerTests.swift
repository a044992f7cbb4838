import Foundation
import Storage
import Testing

/// The WAL is copied back into the database file and reused, instead of growing with every commit. (A checkpointer
/// on a connection of its own, PASSIVE, every 250 commits, failed this: under steady writes the checkpoint never
/// caught up with the WAL's end, so SQLite never restarted it; 3,000 commits left an 85 MB WAL. `WALCheckpointer`
/// now lets the writer copy the last frames itself.)
@Suite(
    "WAL checkpoints",
    .enabled(if: !Database.testsUsePostgres, "SQLite's write-ahead log; PostgreSQL checkpoints itself")
)
struct CheckpointerTests {
    @Test("3,000 commits of a page each leave a WAL far smaller than they wrote, and every row readable")
    func walStaysBounded() async throws {
        // SQLite's own threshold, not the default's 32 MiB, so that 3,000 commits cross it many times.
        try await withTemporaryDatabase(walCheckpointFrames: 1000) { database, path in
            try await database.write { try createItemsTable(in: $0) }
            let filler = String(repeating: "x", count: 3000)
            for index in 1...3000 {
                try await database.write { db in
                    try db.run("INSERT INTO items (id, name) VALUES (?, ?)", Int64(index), "\(index)-\(filler)")
                }
            }
            let wal = path + "-wal"
            let size = (try FileManager.default.attributesOfItem(atPath: wal)[.size] as? NSNumber)?.intValue ?? 0
            // Without checkpoints the WAL holds every frame written: over 12 MB (3,000 commits of a 4 KiB page or more).
            // With them, the threshold (4 MB) and what was written while the background copy ran.
            #expect(size < 8 << 20, "WAL is \(size) bytes")
            let count = try await database.read { db in try db.scalar("SELECT COUNT(*) FROM items") }
            #expect(count == 3000)
        }
    }

    @Test("with writes from 8 tasks at once, the background copy and the writer's finish keep the WAL bounded")
    func walStaysBoundedUnderConcurrentWrites() async throws {
        try await withTemporaryDatabase(walCheckpointFrames: 1000) { database, path in
            try await database.write { try createItemsTable(in: $0) }
            let filler = String(repeating: "y", count: 3000)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<8 {
                    group.addTask {
                        for index in 0..<400 {
                            try await database.write { db in
                                try db.run("INSERT INTO items (name) VALUES (?)", "\(task)-\(index)-\(filler)")
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let wal = path + "-wal"
            let size = (try FileManager.default.attributesOfItem(atPath: wal)[.size] as? NSNumber)?.intValue ?? 0
            // A WAL that is never started over holds every frame: 67 MB here (the writer's finish taken out). Started
            // over, it holds the threshold (4 MB) and what 8 writers appended while the copy ran, which under CI's
            // load was 8.4 MB once.
            #expect(size < 16 << 20, "WAL is \(size) bytes")
            #expect(try await count(database) == 3200)
        }
    }

    @Test("a clean close copies the WAL into the database and removes it, with the readers used and open until then")
    func closeLeavesNoWAL() async throws {
        let path = Database.temporaryPath(prefix: "storage-tests")
        defer { Database.destroy(at: path) }
        let database = try Database(path: path, configuration: Database.Configuration(readerCount: 4))
        try await database.write { try createItemsTable(in: $0) }
        try await database.write { db in try db.run("INSERT INTO items (id, name) VALUES (1, 'kept')") }
        let read = try await database.read { db in try db.scalar("SELECT COUNT(*) FROM items") }
        #expect(read == 1)
        #expect(FileManager.default.fileExists(atPath: path + "-wal"), "the write went to the WAL")
        database.close()
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"), "a clean stop leaves no WAL behind")
        let reopened = try Database(path: path, configuration: Database.Configuration(readerCount: 1))
        defer { reopened.close() }
        #expect(try await reopened.read { db in try db.queryOne("SELECT name FROM items WHERE id = 1")?.string("name") } == "kept")
    }
}
