import Core
import Storage

/// The SQL behind accounts; every function runs inside the caller's transaction.
enum AccountStore {
    static func insert(_ account: Account, passwordHash: String, in db: any Transaction) throws {
        do {
            // In a savepoint: a failed statement aborts the whole transaction on PostgreSQL, and the caller may go on.
            _ = try db.savepoint {
                try db.run(
                    "INSERT INTO accounts (id, email, password_hash, display_name, created_at) VALUES (?, ?, ?, ?, ?)",
                    account.id, account.email, passwordHash, account.displayName, account.createdAt
                )
            }
        } catch let error as SQLiteError where error.isUniqueConstraintViolation {
            throw AccountError.emailTaken
        }
    }

    /// Erasure by anonymisation: the email (freed for a new sign-up), name and password hash are replaced, tokens,
    /// addresses and recorded login failures deleted. Returns false for an unknown or already erased account.
    static func anonymize(_ id: String, now: Int64, in db: any Transaction) throws -> Bool {
        guard let email = try db.queryOne("SELECT email FROM accounts WHERE id = ? AND erased_at IS NULL", id)?.string("email")
        else { return false }
        try db.run(
            """
            UPDATE accounts SET email = ?, display_name = 'Deleted account', password_hash = '!', erased_at = ?
            WHERE id = ?
            """,
            "erased+\(id)@erased.invalid", now, id
        )
        try db.run("DELETE FROM access_tokens WHERE account_id = ?", id)
        try db.run("DELETE FROM addresses WHERE account_id = ?", id)
        try db.run("DELETE FROM login_failures WHERE email = ?", email)
        return true
    }

    /// Records a login attempt as failed (forgiven if the password matches) and forgets those older than the
    /// window; answers the row to forgive.
    static func recordFailure(email: String, at now: Int64, forgettingBefore since: Int64, in db: any Transaction) throws -> Int64 {
        try db.run("DELETE FROM login_failures WHERE failed_at <= ?", since)
        // login_failures has no INTEGER PRIMARY KEY: SQLite's rowid; on PostgreSQL the migration gives the table a
        // real `rowid` identity column, so the same statement answers it.
        return try db.scalar("INSERT INTO login_failures (email, failed_at) VALUES (?, ?) RETURNING rowid", email, now) ?? 0
    }

    static func forgiveFailure(_ attempt: Int64, in db: any Transaction) throws {
        try db.run("DELETE FROM login_failures WHERE rowid = ?", attempt)
    }

    static func deleteToken(hash: [UInt8], in db: any Transaction) throws {
        try db.run("DELETE FROM access_tokens WHERE token_hash = ?", hash)
    }

    static func setDisplayName(_ name: String, of id: String, in db: any Transaction) throws {
        try db.run("UPDATE accounts SET display_name = ? WHERE id = ?", name, id)
    }

    static func addRole(_ role: Role, to id: String, in db: any Transaction) throws {
        try db.run(
            "INSERT INTO account_roles (account_id, role) VALUES (?, ?) ON CONFLICT (account_id, role) DO NOTHING",
            id, role.rawValue
        )
    }

    static func passwordHash(of id: String, in db: any Transaction) throws -> String? {
        try db.queryOne("SELECT password_hash FROM accounts WHERE id = ?", id)?.string("password_hash")
    }

    static func accountID(email: String, in db: any Transaction) throws -> String? {
        try db.queryOne("SELECT id FROM accounts WHERE email = ?", email)?.string("id")
    }

    static func exists(_ id: String, in db: any Transaction) throws -> Bool {
        try db.queryOne("SELECT 1 AS one FROM accounts WHERE id = ?", id) != nil
    }

    static func displayName(of id: String, in db: any Transaction) throws -> String? {
        try db.queryOne("SELECT display_name FROM accounts WHERE id = ?", id)?.string("display_name")
    }

    static func isErased(_ id: String, in db: any Transaction) throws -> Bool {
        try db.queryOne("SELECT erased_at FROM accounts WHERE id = ?", id)?.optionalInt64("erased_at") != nil
    }

    static func removeRole(_ role: Role, from id: String, in db: any Transaction) throws {
        try db.run("DELETE FROM account_roles WHERE account_id = ? AND role = ?", id, role.rawValue)
    }

    static func account(id: String, in db: any Transaction) throws -> Account? {
        guard let row = try db.queryOne("SELECT id, email, display_name, created_at FROM accounts WHERE id = ?", id)
        else { return nil }
        return try account(from: row, in: db)
    }

    static func credentials(email: String, in db: any Transaction) throws -> (Account, passwordHash: String)? {
        guard
            let row = try db.queryOne(
                "SELECT id, email, display_name, created_at, password_hash FROM accounts WHERE email = ?", email
            )
        else { return nil }
        return (try account(from: row, in: db), row.string("password_hash"))
    }

    static func roles(of accountID: String, in db: any Transaction) throws -> [Role] {
        let extra = try db.query("SELECT role FROM account_roles WHERE account_id = ?", accountID)
            .compactMap { Role(rawValue: $0.string("role")) }
        return ([Role.customer] + extra).sorted()
    }

    private static func account(from row: Row, in db: any Transaction) throws -> Account {
        let id = row.string("id")
        return Account(
            id: id, email: row.string("email"), displayName: row.string("display_name"),
            roles: try roles(of: id, in: db), createdAt: row.int64("created_at")
        )
    }

    /// A principal for a non-token credential (an event ticket); no token hash to revoke.
    static func principal(accountID: String, in db: any Transaction) throws -> Principal? {
        guard let account = try account(id: accountID, in: db) else { return nil }
        return Principal(
            accountID: accountID, displayName: account.displayName, roles: Set(try roles(of: accountID, in: db)),
            tokenHash: []
        )
    }

    static func principal(tokenHash: [UInt8], in db: any Transaction) throws -> Principal? {
        guard
            let row = try db.queryOne(
                """
                SELECT a.id, a.display_name FROM access_tokens t JOIN accounts a ON a.id = t.account_id
                WHERE t.token_hash = ?
                """,
                tokenHash
            )
        else { return nil }
        let id = row.string("id")
        return Principal(
            accountID: id, displayName: row.string("display_name"),
            roles: Set(try roles(of: id, in: db)), tokenHash: tokenHash
        )
    }

    static func insertToken(hash: [UInt8], accountID: String, at now: Int64, in db: any Transaction) throws {
        try db.run("INSERT INTO access_tokens (token_hash, account_id, created_at) VALUES (?, ?, ?)", hash, accountID, now)
    }

    /// The failed attempts since `since`; an existing account's row stays locked until the caller records this one.
    static func recentFailures(email: String, since: Int64, in db: any Transaction) throws -> [Int64] {
        try db.lockOwner(in: "accounts", column: "email", key: email)
        return try db.query(
            "SELECT failed_at FROM login_failures WHERE email = ? AND failed_at > ? ORDER BY failed_at", email, since
        ).map { $0.int64("failed_at") }
    }
}
