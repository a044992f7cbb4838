import Dispatch
import Foundation
@testable import Storage
import Core
import Testing

/// Batches formed on purpose: the first write holds the writer until the others are queued behind it, so they share
/// one transaction (GroupCommit runs a batch without savepoints first, and with them after a failure).
@Suite(
    "Group commit batches without savepoints",
    .enabled(if: !Database.testsUsePostgres, "SQLite's group commit; PostgreSQL runs each write in its own transaction")
)
struct GroupCommitBatchTests {
    @Test("a failing write in a batch run without savepoints: the batch runs again with them, the others land, it leaves nothing")
    func failureRerunsWithSavepoints() async throws {
        try await withTemporaryDatabase { database, _ in
            try await database.write { try createItemsTable(in: $0) }
            let runs = Mutex([String: Int]())
            // The first batch has no failure: each body runs once. The second has one: the others run twice.
            let clean = try await batch(database, names: (0..<6).map { "clean-\($0)" }, failing: nil, runs: runs)
            #expect(clean.allSatisfy { $0.value }, "\(clean)")
            #expect(runs.withLock { $0 }.filter { $0.key.hasPrefix("clean-") }.values.allSatisfy { $0 == 1 })

            let mixed = try await batch(database, names: (0..<6).map { "mixed-\($0)" }, failing: "mixed-3", runs: runs)
            #expect(mixed.filter { !$0.value }.keys.sorted() == ["mixed-3"], "\(mixed)")
            let mixedRuns = runs.withLock { $0 }.filter { $0.key.hasPrefix("mixed-") }
            #expect(mixedRuns["mixed-0"] == 2, "ran once without savepoints, then again with them: \(mixedRuns)")
            #expect(mixedRuns["mixed-5"] == 1, "the first run stopped at the failing write: \(mixedRuns)")

            // The next batches keep their savepoints: a failure no longer runs the others twice.
            let careful = try await batch(database, names: (0..<6).map { "careful-\($0)" }, failing: "careful-2", runs: runs)
            #expect(careful.filter { !$0.value }.keys.sorted() == ["careful-2"], "\(careful)")
            #expect(runs.withLock { $0 }.filter { $0.key.hasPrefix("careful-") }.values.allSatisfy { $0 == 1 })

            let names = try await database.read { db in Set(try db.query("SELECT name FROM items").map { $0.string("name") }) }
            let expected = Set((Array(clean.keys) + mixed.keys + careful.keys).filter { !["mixed-3", "careful-2"].contains($0) })
            #expect(names.subtracting(["holder"]) == expected)
        }
    }

    @Test("a write alone that fails is rolled back with its transaction and leaves nothing; the next one lands")
    func aloneFailure() async throws {
        try await withTemporaryDatabase { database, _ in
            try await database.write { try createItemsTable(in: $0) }
            await #expect(throws: Boom.self) {
                try await database.write { db in
                    try db.run("INSERT INTO items (name) VALUES ('gone')")
                    throw Boom()
                }
            }
            try await database.write { db in try db.run("INSERT INTO items (name) VALUES ('kept')") }
            let names = try await database.read { db in try db.query("SELECT name FROM items").map { $0.string("name") } }
            #expect(names == ["kept"])
        }
    }

    /// Runs one batch: a holder write blocks the writer until every write of `names` is queued behind it.
    /// - Returns: whether each write succeeded.
    private func batch(
        _ database: Database, names: [String], failing: String?, runs: Mutex<[String: Int]>
    ) async throws -> [String: Bool] {
        let groupCommit = try #require(database.sqlite?.groupCommit)
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let holder = Task {
            try await database.write { db in
                entered.signal()
                release.wait()
                try db.run("INSERT INTO items (name) VALUES ('holder') ON CONFLICT (name) DO NOTHING")
            }
        }
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { entered.wait(); continuation.resume() }
        }
        // The writer is held, so nothing is drained: each write is queued before the next starts, in `names` order.
        var writes: [Task<(String, Bool), Never>] = []
        for (index, name) in names.enumerated() {
            writes.append(Task {
                do {
                    try await database.write { db in
                        runs.withLock { $0[name, default: 0] += 1 }
                        try db.run("INSERT INTO items (name) VALUES (?)", name)
                        if name == failing { throw Boom() }
                    }
                    return (name, true)
                } catch {
                    return (name, false)
                }
            })
            var polls = 0
            while groupCommit.pendingCount <= index {
                polls += 1
                try #require(polls < 5_000, "write \(index) was not queued within 5 s")
                try await Task.sleep(for: .milliseconds(1))
            }
        }
        release.signal()
        try await holder.value
        var outcomes: [String: Bool] = [:]
        for write in writes {
            let (name, ok) = await write.value
            outcomes[name] = ok
        }
        return outcomes
    }
}
