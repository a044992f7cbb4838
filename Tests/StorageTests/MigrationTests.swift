import Storage
import Testing

@Suite("Migrations")
struct MigrationTests {
    static let migrations = [
        Migration("0001_create_items", createItems),
        Migration(
            "0002_create_tags",
            """
            CREATE TABLE tags (id INTEGER PRIMARY KEY, item_id INTEGER NOT NULL REFERENCES items(id), label TEXT NOT NULL);
            CREATE INDEX tags_item_id ON tags(item_id);
            """
        ),
    ]

    @Test("apply once, are recorded in order, and re-running is a no-op")
    func applyOnce() async throws {
        try await withTemporaryDatabase { db, _ in
            try await db.migrate(Self.migrations)
            let recorded = try await db.read { db in
                // In the order they were recorded: SQLite's rowid; on PostgreSQL, whose schema_migrations has no
                // rowid, the id of the transaction that inserted the row (each migration commits in its own).
                let order = db.dialect == .sqlite ? "rowid" : "CAST(CAST(xmin AS text) AS bigint)"
                return try db.query("SELECT name, applied_at FROM schema_migrations ORDER BY \(order)")
            }
            #expect(recorded.map { $0.string("name") } == ["0001_create_items", "0002_create_tags"])
            #expect(recorded.allSatisfy { $0.string("applied_at").hasSuffix("Z") })

            try await db.write { try $0.run("INSERT INTO items (name) VALUES (?)", "kept") }
            try await db.migrate(Self.migrations)  // would fail on CREATE TABLE if it ran again
            #expect(try await count(db, "schema_migrations") == 2)
            #expect(try await count(db) == 1)

            // Appending a migration applies only the new one.
            try await db.migrate(Self.migrations + [Migration("0003_add_price", "ALTER TABLE items ADD COLUMN price INTEGER")])
            #expect(try await count(db, "schema_migrations") == 3)
            #expect(try await db.read { try $0.scalar("SELECT count(price) FROM items") } == 0)
        }
    }

    @Test("a database with an unknown recorded migration is refused")
    func unknownMigration() async throws {
        try await withTemporaryDatabase { db, _ in
            let future = Migration("0003_from_the_future", "CREATE TABLE future (x INTEGER)")
            try await db.migrate(Self.migrations + [future])
            await #expect(throws: MigrationError.unknownMigrations(["0003_from_the_future"])) {
                try await db.migrate(Self.migrations)
            }
        }
    }

    @Test("a failing migration is rolled back and not recorded; earlier ones stay")
    func failingMigration() async throws {
        try await withTemporaryDatabase { db, _ in
            let broken = Self.migrations
                + [Migration("0003_broken", "CREATE TABLE half (x INTEGER); INSERT INTO nowhere VALUES (1);")]
            await #expect(throws: SQLiteError.self) { try await db.migrate(broken) }
            #expect(try await count(db, "schema_migrations") == 2)
            let halfExists = try await db.read { db in
                try db.scalar(
                    db.dialect == .sqlite
                        ? "SELECT count(*) FROM sqlite_schema WHERE name = 'half'"
                        : """
                        SELECT count(*) FROM information_schema.tables
                        WHERE table_schema = current_schema() AND table_name = 'half'
                        """
                )
            }
            #expect(halfExists == 0)
        }
    }

    @Test("duplicate names are refused")
    func duplicates() async throws {
        try await withTemporaryDatabase { db, _ in
            await #expect(throws: MigrationError.duplicateName("0001_create_items")) {
                try await db.migrate([Self.migrations[0], Self.migrations[0]])
            }
        }
    }

    @Test("foreign keys are enforced")
    func foreignKeys() async throws {
        try await withTemporaryDatabase { db, _ in
            try await db.migrate(Self.migrations)
            await #expect(throws: SQLiteError.self) {
                try await db.write { try $0.run("INSERT INTO tags (item_id, label) VALUES (?, ?)", 42, "orphan") }
            }
        }
    }
}
