/// Where the test clock's offset lives (API.md §24: kept in the database, so a restart never moves time back).
public enum TestClockStore {
    public static let migrations = [
        Migration(
            "0012_create_test_clock",
            """
            CREATE TABLE test_clock (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                offset_seconds INTEGER NOT NULL
            );
            """
        ),
    ]

    public static func offset(in db: any Transaction) throws -> Int64 {
        try db.scalar("SELECT offset_seconds FROM test_clock WHERE id = 1") ?? 0
    }

    /// Adds `seconds` to the stored offset. - Returns: the new offset.
    public static func advance(by seconds: Int64, in db: any Transaction) throws -> Int64 {
        try db.scalar(
            """
            INSERT INTO test_clock (id, offset_seconds) VALUES (1, ?)
            ON CONFLICT (id) DO UPDATE SET offset_seconds = test_clock.offset_seconds + excluded.offset_seconds
            RETURNING offset_seconds
            """,
            seconds
        ) ?? seconds
    }
}
