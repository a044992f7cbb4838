import Dispatch
import Storage
import Testing

@Suite("Transactions")
struct TransactionTests {
    @Test("a write closure that throws leaves nothing behind and rethrows its error")
    func failingWriteRollsBack() async throws {
        try await withTemporaryDatabase { db, _ in
            try await db.write { try createItemsTable(in: $0) }
            await #expect(throws: Boom.self) {
                try await db.write { db in
                    try db.run("INSERT INTO items (name) VALUES (?)", "apple")
                    throw Boom()
                }
            }
            #expect(try await count(db) == 0)
        }
    }

    @Test("a constraint violation mid-closure rolls back the earlier statements")
    func constraintViolationRollsBack() async throws {
        try await withTemporaryDatabase { db, _ in
            try await db.write { try createItemsTable(in: $0) }
            let error = await #expect(throws: SQLiteError.self) {
                try await db.write { db in
                    try db.run("INSERT INTO items (name) VALUES (?)", "pear")
                    try db.run("INSERT INTO items (name) VALUES (?)", "plum")
                    try db.run("INSERT INTO items (name) VALUES (?)", "pear")
                }
            }
            #expect(error?.isUniqueConstraintViolation == true)
            #expect(error?.sql == "INSERT INTO items (name) VALUES (?)")
            #expect(try await count(db) == 0)
            // The writer is usable afterwards: no transaction was left open.
            try await db.write { try $0.run("INSERT INTO items (name) VALUES (?)", "pear") }
            #expect(try await count(db) == 1)
        }
    }

    @Test("UNIQUE and PRIMARY KEY violations surface as isUniqueConstraintViolation; others do not")
    func uniqueViolation() async throws {
        try await withTemporaryDatabase { db, _ in
            try await db.write { db in
                try createItemsTable(in: db)
                // Numbered by the table (id 1 on both engines): an explicit id would not move PostgreSQL's identity.
                try db.run("INSERT INTO items (name) VALUES (?)", "apple")
            }
            let unique = await #expect(throws: SQLiteError.self) {
                try await db.write { try $0.run("INSERT INTO items (name) VALUES (?)", "apple") }
            }
            #expect(unique?.isUniqueConstraintViolation == true)
            #expect(unique?.code == 19)
            #expect(unique?.extendedCode == 2067)
            #expect(unique?.isBusy == false)
            // Each engine names the constraint in its own words.
            let constraint = db.dialect == .sqlite ? "UNIQUE constraint failed: items.name" : "\"items_name_key\""
            #expect(unique?.description.contains(constraint) == true)
            #expect(unique?.description.contains("apple") == false)  // arguments never appear

            let primaryKey = await #expect(throws: SQLiteError.self) {
                try await db.write { try $0.run("INSERT INTO items (id, name) VALUES (?, ?)", 1, "banana") }
            }
            #expect(primaryKey?.isUniqueConstraintViolation == true)

            let notNull = await #expect(throws: SQLiteError.self) {
                try await db.write { try $0.run("INSERT INTO items (name) VALUES (?)", nil) }
            }
            #expect(notNull?.isUniqueConstraintViolation == false)
            #expect(notNull?.code == 19)
        }
    }

    @Test("50 concurrent writers all land")
    func concurrentWriters() async throws {
        try await withTemporaryDatabase { db, _ in
            try await db.write { try createItemsTable(in: $0) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<50 {
                    group.addTask {
                        try await db.write { db in
                            for row in 0..<10 {
                                try db.run("INSERT INTO items (name, quantity) VALUES (?, ?)", "w\(writer)-r\(row)", row)
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await count(db) == 500)
            #expect(try await db.read { try $0.scalar("SELECT sum(quantity) FROM items") } == 50 * 45)
        }
    }

    @Test("reads see committed data and run while a write is open")
    func readsDuringWrite() async throws {
        try await withTemporaryDatabase { db, _ in
            try await db.write { db in
                try createItemsTable(in: db)
                try db.run("INSERT INTO items (name) VALUES (?)", "committed")
            }
            let inserted = DispatchSemaphore(value: 0)
            let readDone = DispatchSemaphore(value: 0)
            let writer = Task {
                try await db.write { db in
                    try db.run("INSERT INTO items (name) VALUES (?)", "pending")
                    inserted.signal()
                    // Hold the write transaction open until the read has finished.
                    _ = readDone.wait(timeout: .now() + 10)
                }
            }
            await waitOffPool(inserted)
            let names = try await db.read { db in try db.query("SELECT name FROM items").map { $0.string("name") } }
            #expect(names == ["committed"])
            readDone.signal()
            try await writer.value
            #expect(try await count(db) == 2)
        }
    }

    @Test("more concurrent reads than readers all complete")
    func readerPoolIsBounded() async throws {
        try await withTemporaryDatabase(readerCount: 2) { db, _ in
            try await db.write { db in
                try createItemsTable(in: db)
                try db.run("INSERT INTO items (name, quantity) VALUES (?, ?)", "x", 7)
            }
            let total = try await withThrowingTaskGroup(of: Int64.self) { group in
                for _ in 0..<40 {
                    group.addTask { try await db.read { try $0.scalar("SELECT quantity FROM items") ?? 0 } }
                }
                return try await group.reduce(0, +)
            }
            #expect(total == 40 * 7)
        }
    }

    @Test("a read closure cannot write")
    func readersAreReadOnly() async throws {
        try await withTemporaryDatabase { db, _ in
            try await db.write { try createItemsTable(in: $0) }
            await #expect(throws: SQLiteError.self) {
                try await db.read { try $0.run("INSERT INTO items (name) VALUES (?)", "nope") }
            }
            #expect(try await count(db) == 0)
        }
    }

    @Test("savepoint rollback keeps the outer transaction's work")
    func savepointRollback() async throws {
        try await withTemporaryDatabase { db, _ in
            try await db.write { try createItemsTable(in: $0) }
            let outcome = try await db.write { db -> Bool in
                try db.run("INSERT INTO items (name) VALUES (?)", "outer")
                do {
                    try db.savepoint {
                        try db.run("INSERT INTO items (name) VALUES (?)", "inner")
                        _ = try db.savepoint { try db.run("INSERT INTO items (name) VALUES (?)", "nested") }
                        throw Boom()
                    }
                } catch is Boom {
                    // expected
                }
                let kept = try db.savepoint { () -> Int in
                    try db.run("INSERT INTO items (name) VALUES (?)", "second")
                }
                return kept == 1
            }
            #expect(outcome)
            let names = try await db.read { db in
                try db.query("SELECT name FROM items ORDER BY id").map { $0.string("name") }
            }
            #expect(names == ["outer", "second"])
        }
    }

    @Test("writeSync commits and rolls back like write")
    func writeSync() async throws {
        try await withTemporaryDatabase { db, _ in
            let id = try db.writeSync { db -> Int64 in
                try createItemsTable(in: db)
                return try db.scalar("INSERT INTO items (name) VALUES (?) RETURNING id", "sync") ?? 0
            }
            #expect(id == 1)
            #expect(throws: Boom.self) {
                try db.writeSync { db in
                    try db.run("INSERT INTO items (name) VALUES (?)", "lost")
                    throw Boom()
                }
            }
            #expect(try await count(db) == 1)
        }
    }

    @Test("close makes later calls fail instead of crashing")
    func closed() async throws {
        try await withTemporaryDatabase { db, _ in
            db.close()
            db.close()
            await #expect(throws: SQLiteError.self) { try await db.write { try $0.execute("SELECT 1") } }
            await #expect(throws: SQLiteError.self) { try await db.read { try $0.scalar("SELECT 1") } }
        }
    }

    @Test("in-memory databases are refused")
    func inMemoryRefused() {
        #expect(throws: SQLiteError.self) { try Database(path: ":memory:") }
    }
}

/// Waits for a semaphore on a Dispatch thread, never blocking the cooperative pool.
func waitOffPool(_ semaphore: DispatchSemaphore) async {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async {
            _ = semaphore.wait(timeout: .now() + 10)
            continuation.resume()
        }
    }
}
