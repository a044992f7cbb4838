import Dispatch
import Storage
import Testing

/// `Database.lookup` runs on the caller's thread with a borrowed reader; it must keep every guarantee of `read`.
@Suite("Lookups")
struct LookupTests {
    @Test("parallel lookups during parallel writes each see one committed snapshot")
    func snapshots() async throws {
        try await withTemporaryDatabase(readerCount: 2) { db, _ in
            try await db.write { db in
                try createItemsTable(in: db)
                try db.run("INSERT INTO items (name, quantity) VALUES ('a', 0), ('b', 0)")
            }
            let torn = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<300 {
                    group.addTask {
                        if index % 6 == 0 {
                            // Both rows move together, so a reader that saw them differ saw half a transaction.
                            try await db.write { db in
                                try db.run("UPDATE items SET quantity = quantity + 1 WHERE name = 'a'")
                                try db.run("UPDATE items SET quantity = quantity + 1 WHERE name = 'b'")
                            }
                            return false
                        }
                        return try await db.lookup { db in
                            let a = try db.scalar("SELECT quantity FROM items WHERE name = 'a'")
                            let b = try db.scalar("SELECT quantity FROM items WHERE name = 'b'")
                            return a != b
                        }
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(torn == 0)
            #expect(try await db.lookup { try $0.scalar("SELECT quantity FROM items WHERE name = 'a'") } == 50)
        }
    }

    @Test("with the only reader busy, a lookup waits for it and still answers")
    func fallsBackWhenBusy() async throws {
        try await withTemporaryDatabase(readerCount: 1) { db, _ in
            try await db.write { db in
                try createItemsTable(in: db)
                try db.run("INSERT INTO items (name, quantity) VALUES ('a', 7)")
            }
            let started = DispatchSemaphore(value: 0)
            let release = DispatchSemaphore(value: 0)
            let holder = Task {
                try await db.read { db -> Int64? in
                    started.signal()
                    release.wait()
                    return try db.scalar("SELECT quantity FROM items")
                }
            }
            // Blocks this test's thread only until the read holds the single reader.
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    started.wait()
                    continuation.resume()
                }
            }
            let lookup = Task { try await db.lookup { try $0.scalar("SELECT quantity FROM items") } }
            release.signal()
            #expect(try await lookup.value == 7)
            #expect(try await holder.value == 7)
        }
    }

    @Test("a lookup cannot write")
    func readOnly() async throws {
        try await withTemporaryDatabase { db, _ in
            try await db.write { try createItemsTable(in: $0) }
            let error = await #expect(throws: SQLiteError.self) {
                try await db.lookup { try $0.run("INSERT INTO items (name) VALUES ('x')") }
            }
            #expect(error != nil)
            #expect(try await db.read { try $0.scalar("SELECT count(*) FROM items") } == 0)
        }
    }
}
