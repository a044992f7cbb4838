import Storage

/// A trigger that makes one kind of write fail, for tests of what a feature does when its write is refused.
public enum InjectedFailure {
    /// Creates a `BEFORE` trigger named `name` on `table` that aborts the statement with `message` when `condition`
    /// (over `NEW`) holds: SQLite's `RAISE(ABORT)`, or PostgreSQL's plpgsql function raising an exception.
    /// - Parameters:
    ///   - event: `INSERT` or `UPDATE OF column`.
    public static func install(
        _ name: String, before event: String, on table: String, when condition: String, message: String,
        in db: any Transaction
    ) throws {
        switch db.dialect {
        case .sqlite:
            try db.execute(
                """
                CREATE TRIGGER \(name) BEFORE \(event) ON \(table) WHEN \(condition)
                BEGIN SELECT RAISE(ABORT, '\(message)'); END
                """
            )
        case .postgres:
            try db.execute(
                """
                CREATE FUNCTION \(name)() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION '\(message)'; END $$;
                CREATE TRIGGER \(name) BEFORE \(event) ON \(table) FOR EACH ROW WHEN (\(condition))
                EXECUTE FUNCTION \(name)();
                """
            )
        }
    }
}
