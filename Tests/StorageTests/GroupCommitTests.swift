import Foundation
import Storage
import Testing

/// On PostgreSQL each write is a transaction of its own (a unique violation is retried, then thrown); the contract
/// checked, that a failing write fails alone, is the same.
@Suite("Group commit: writes that queue up share one transaction, each in its own savepoint")
struct GroupCommitTests {
    @Test("in 200 concurrent writes, the ones that throw leave nothing and fail alone; every other one lands")
    func failuresStayAlone() async throws {
        try await withTemporaryDatabase { database, _ in
            try await database.write { try createItemsTable(in: $0) }
            let outcomes = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
                for index in 0..<200 {
                    group.addTask {
                        do {
                            try await database.write { db in
                                try db.run("INSERT INTO items (name, quantity) VALUES (?, ?)", "item-\(index)", index)
                                if index % 3 == 0 { throw Boom() }
                            }
                            return (index, true)
                        } catch is Boom {
                            return (index, false)
                        }
                    }
                }
                return try await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
            }
            #expect(outcomes.count == 200)
            #expect(outcomes.filter { $0.value }.count == 133)
            let names = try await database.read { db in
                Set(try db.query("SELECT name FROM items").map { $0.string("name") })
            }
            #expect(names == Set((0..<200).filter { $0 % 3 != 0 }.map { "item-\($0)" }))
        }
    }

    @Test("a constraint violation in one write of a batch does not undo the batch's other writes")
    func constraintInBatch() async throws {
        try await withTemporaryDatabase { database, _ in
            try await database.write { try createItemsTable(in: $0) }
            let results = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        // Every tenth write reuses a name: UNIQUE fails inside that write's savepoint only.
                        let name = index % 10 == 9 ? "same" : "n-\(index)"
                        return (try? await database.write { db in
                            try db.run("INSERT INTO items (name) VALUES (?)", name)
                        }) != nil
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(results.filter { $0 }.count == 46)
            #expect(try await count(database) == 46)
        }
    }
}
