@testable import Storage
import Testing

/// Each connection caches prepared statements by SQL text; texts with lists of varying length must not grow the cache
/// without bound.
@Suite(
    "Statement cache",
    .enabled(if: !Database.testsUsePostgres, "counts what SQLite's Connection caches; PostgreSQL's is another type")
)
struct StatementCacheTests {
    /// `SELECT … WHERE id IN (?, ?, …)` with `count` placeholders: a new SQL text for every length.
    static func inList(_ count: Int) -> String {
        "SELECT COUNT(*) FROM items WHERE id IN (" + Array(repeating: "?", count: count).joined(separator: ", ") + ")"
    }

    @Test("texts alike in length and at both ends are still different statements (the key hashes only the ends)")
    func sameEndsDifferentMiddles() async throws {
        try await withTemporaryDatabase { database, _ in
            let padding = String(repeating: "x", count: 40)
            let texts = (1...9).map { "SELECT /* \(padding) */ \($0) AS v /* \(padding) */" }
            #expect(Set(texts.map(\.utf8.count)).count == 1)
            let answers = try await database.read { db in
                try (texts + texts).map { try db.scalar($0) as Int64? }
            }
            #expect(answers == (Array(1...9) + Array(1...9)).map { Int64($0) })
            #expect(Connection.StatementKey("é") != Connection.StatementKey("e\u{301}"), "bytes, not canonical equivalence")
            #expect(Connection.StatementKey("SELECT 1") == Connection.StatementKey(String("SELECT 1".reversed().reversed())))
        }
    }

    @Test("600 distinct SQL texts leave at most 256 statements cached and prepared; answers stay right")
    func bounded() async throws {
        try await withTemporaryDatabase { database, _ in
            try await database.write { db in
                try createItemsTable(in: db)
                try db.insertRows("INSERT INTO items (id, name) VALUES", columns: 2, count: 600) { index, arguments in
                    arguments += [Int64(index + 1), "item-\(index + 1)"]
                }
            }
            let hot = "SELECT name FROM items WHERE id = ?"
            let (wrong, cached, live, hotCached) = try await database.write { db in
                var wrong: [Int] = []
                for length in 1...600 {
                    let ids = (1...length).map { Int64($0) as (any SQLBindable)? }
                    let rows = try db.query(Self.inList(length), arguments: ids)
                    if rows.first?[0] != .integer(Int64(length)) { wrong.append(length) }
                    // A statement in steady use stays cached however many others come and go.
                    if try db.queryOne(hot, Int64(length))?.string("name") != "item-\(length)" { wrong.append(-length) }
                }
                // SQLite's statement cache: the test's database is a file.
                let connection = try #require(db as? Connection)
                return (wrong, connection.cachedStatementCount, connection.liveStatementCount, connection.cachesStatement(hot))
            }
            #expect(wrong.isEmpty)
            #expect(cached <= 256)
            #expect(live <= 256, "an evicted statement is finalized")
            #expect(hotCached)
            // An evicted text is prepared again and still answers right.
            let again = try await database.read { db in try db.scalar(Self.inList(3), 1, 2, 3) }
            #expect(again == 3)
        }
    }
}
