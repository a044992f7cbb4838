import Storage

public enum AccountMigrations {
    public static let all: [Migration] = [
        Migration(
            "0001_create_accounts",
            """
            CREATE TABLE accounts (
                id TEXT PRIMARY KEY,
                email TEXT NOT NULL UNIQUE,
                password_hash TEXT NOT NULL,
                display_name TEXT NOT NULL,
                created_at INTEGER NOT NULL
            );
            CREATE TABLE account_roles (
                account_id TEXT NOT NULL REFERENCES accounts(id),
                role TEXT NOT NULL,
                PRIMARY KEY (account_id, role)
            ) WITHOUT ROWID;
            CREATE TABLE access_tokens (
                token_hash BLOB PRIMARY KEY,
                account_id TEXT NOT NULL REFERENCES accounts(id),
                created_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX access_tokens_by_account ON access_tokens(account_id);
            CREATE TABLE login_failures (
                email TEXT NOT NULL,
                failed_at INTEGER NOT NULL
            );
            CREATE INDEX login_failures_by_email ON login_failures(email, failed_at);
            """
        ),
        AddressStore.migration,
        Migration(
            "0003_account_erasure",
            """
            -- Set when the account was erased (API.md §16): its personal data is gone, its id stays for the records.
            ALTER TABLE accounts ADD COLUMN erased_at INTEGER;
            """
        ),
        AccountStore.ticketsMigration,
        Migration(
            "0005_login_failures_by_rowid",
            // SQLite finds a row by its rowid without an index.
            "SELECT 1",
            // PostgreSQL's rowid is an ordinary identity column (PostgresDDL): a failed login's row is deleted by it.
            postgres: "CREATE INDEX login_failures_by_rowid ON login_failures (rowid)"
        ),
    ]
}
