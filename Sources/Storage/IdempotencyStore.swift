/// The SQL of stored answers to keyed requests (API.md §1, §12).
enum IdempotencyStore {
    static let migrations = [
        // PostgreSQL: a plain table (no `WITHOUT ROWID`); the primary key is the same.
        Migration(
            "0100_create_idempotency_keys",
            """
            CREATE TABLE idempotency_keys (
                account_id TEXT NOT NULL,
                key TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                status INTEGER NOT NULL,
                content_type TEXT NOT NULL,
                body BLOB NOT NULL,
                created_at INTEGER NOT NULL,
                PRIMARY KEY (account_id, key)
            ) WITHOUT ROWID;
            """
        ),
    ]

    /// The answer stored for `key` within its lifetime, with the fingerprint of the request that earned it.
    static func answer(to key: IdempotencyKey, since: Int64, in db: any Transaction) throws -> (fingerprint: String, StoredAnswer)? {
        guard
            let row = try db.queryOne(
                """
                SELECT fingerprint, status, content_type, body FROM idempotency_keys
                WHERE account_id = ? AND key = ? AND created_at > ?
                """,
                key.accountID, key.key, since
            )
        else { return nil }
        let answer = StoredAnswer(status: row.int("status"), contentType: row.string("content_type"), body: row.blob("body"))
        return (row.string("fingerprint"), answer)
    }

    /// Stores `answer`, replacing an expired one under the same key.
    static func save(_ answer: StoredAnswer, for key: IdempotencyKey, now: Int64, in db: any Transaction) throws {
        // The primary key is the table's only unique constraint, so this upsert does what SQLite's INSERT OR REPLACE
        // did, on both engines.
        try db.run(
            """
            INSERT INTO idempotency_keys (account_id, key, fingerprint, status, content_type, body, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (account_id, key) DO UPDATE SET fingerprint = excluded.fingerprint, status = excluded.status,
                content_type = excluded.content_type, body = excluded.body, created_at = excluded.created_at
            """,
            key.accountID, key.key, key.fingerprint, answer.status, answer.contentType, answer.body, now
        )
    }
}
