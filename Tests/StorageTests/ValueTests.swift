import Foundation
import Storage
import Testing

@Suite("Values, rows and backup")
struct ValueTests {
    @Test("typed binding round-trips")
    func roundTrip() async throws {
        try await withTemporaryDatabase { db, _ in
            let blob: [UInt8] = [0, 1, 2, 0xfe, 0xff, 0]
            // PostgreSQL's text cannot hold U+0000 (https://www.postgresql.org/docs/15/datatype-character.html);
            // SQLite's keeps it, and so must a round trip there.
            let inner = db.dialect == .sqlite ? "nul\u{0}inside" : "tab\u{9}inside"
            try await db.write { db in
                try execute(ddl: "CREATE TABLE v (i INTEGER, t TEXT, b BLOB, r REAL, flag INTEGER, n INTEGER)", in: db)
                try db.run("INSERT INTO v VALUES (?, ?, ?, ?, ?, ?)", Int64.max, "Grüße 🛒 ✓", blob, 2.5, true, nil)
                try db.run("INSERT INTO v VALUES (?, ?, ?, ?, ?, ?)", Int64.min, "", [UInt8](), -0.5, false, Int32(-7))
                try db.run(
                    "INSERT INTO v VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [-42, inner, SQLValue.blob([9]), SQLValue.real(1), Int(1), SQLValue.null]
                )
            }
            let rows = try await db.read { try $0.query("SELECT * FROM v ORDER BY rowid") }
            try #require(rows.count == 3)
            #expect(rows[0].int64("i") == Int64.max)
            #expect(rows[0].string("t") == "Grüße 🛒 ✓")
            #expect(rows[0].blob("b") == blob)
            #expect(rows[0].double("r") == 2.5)
            #expect(rows[0].bool("flag") == true)
            #expect(rows[0]["n"] == .null)
            #expect(rows[0].optionalInt64("n") == nil)
            #expect(rows[0].optionalString("n") == nil)
            #expect(rows[0].optionalInt("n") == nil)

            #expect(rows[1].int64("i") == Int64.min)
            #expect(rows[1]["t"] == .text(""))
            #expect(rows[1]["b"] == .blob([]))
            #expect(rows[1].bool("flag") == false)
            #expect(rows[1].int("n") == -7)

            #expect(rows[2].int("i") == -42)
            #expect(rows[2].string("t") == inner)
            #expect(rows[2][2] == .blob([9]))
            #expect(rows[2].int64("r") == 1)  // an integral REAL converts
            #expect(rows[2].optionalString("t") == inner)
            #expect(rows[2]["I"] == .integer(-42))  // names are case-insensitive
        }
    }

    @Test("queryOne, scalar, run's change count and lastInsertRowID")
    func helpers() async throws {
        try await withTemporaryDatabase { db, _ in
            let (firstID, secondID, changed) = try await db.write { db in
                try createItemsTable(in: db)
                let first = try db.scalar("INSERT INTO items (name, quantity) VALUES (?, ?) RETURNING id", "a", 1)
                let second = try db.scalar("INSERT INTO items (name, quantity) VALUES (?, ?) RETURNING id", "b", 2)
                return (first, second, try db.run("UPDATE items SET quantity = quantity + 1"))
            }
            #expect(firstID == 1 && secondID == 2 && changed == 2)
            let (one, none, total, empty) = try await db.read { db in
                (
                    try db.queryOne("SELECT name AS label FROM items WHERE id = ?", secondID),
                    try db.queryOne("SELECT * FROM items WHERE id = ?", 99),
                    try db.scalar("SELECT sum(quantity) FROM items"),
                    try db.scalar("SELECT quantity FROM items WHERE id = ?", 99)
                )
            }
            #expect(one?.string("label") == "b")
            #expect(one?.columnNames == ["label"])
            #expect(none == nil)
            #expect(total == 5)
            #expect(empty == nil)
        }
    }

    @Test("a wrong argument count or two statements in run are errors, not silent")
    func misuse() async throws {
        try await withTemporaryDatabase { db, _ in
            try await db.write { try createItemsTable(in: $0) }
            await #expect(throws: SQLiteError.self) {
                try await db.write { try $0.run("INSERT INTO items (name) VALUES (?)") }
            }
            await #expect(throws: SQLiteError.self) {
                try await db.write { try $0.run("INSERT INTO items (name) VALUES (?)", "a", "b") }
            }
            await #expect(throws: SQLiteError.self) {
                try await db.write { try $0.run("DELETE FROM items; DELETE FROM items") }
            }
            let syntax = await #expect(throws: SQLiteError.self) {
                try await db.read { try $0.query("SELEKT 1") }
            }
            #expect(syntax?.sql == "SELEKT 1")
        }
    }

    @Test(
        "backup produces a database file that opens and has the data",
        .enabled(if: !Database.testsUsePostgres, "SQLite's online backup API; PostgreSQL's copies are pg_dump's")
    )
    func backup() async throws {
        try await withTemporaryDatabase { db, _ in
            try await db.migrate([Migration("0001_create_items", createItems)])
            try await db.write { db in
                for index in 0..<100 {
                    try db.run("INSERT INTO items (name, quantity) VALUES (?, ?)", "item \(index)", index)
                }
            }
            let path = Database.temporaryPath(prefix: "storage-tests-backup")
            defer { Database.destroy(at: path) }
            // A write racing the backup must not break it: the copy is one snapshot.
            async let racing: Void = db.write { try $0.run("INSERT INTO items (name) VALUES (?)", "racer") }
            try await db.backup(to: path)
            try await racing
            #expect(FileManager.default.fileExists(atPath: path))

            let copy = try Database(path: path, configuration: .init(readerCount: 1))
            defer { copy.close() }
            let (items, migrations) = try await copy.read { db in
                (try db.scalar("SELECT count(*) FROM items WHERE name LIKE 'item %'"),
                 try db.scalar("SELECT count(*) FROM schema_migrations"))
            }
            #expect(items == 100)
            #expect(migrations == 1)
        }
    }
}
