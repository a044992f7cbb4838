import Core
import Storage

/// The SQL of delivery addresses.
enum AddressStore {
    static let migration = Migration(
        "0002_create_addresses",
        """
        CREATE TABLE addresses (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES accounts(id),
            name TEXT NOT NULL,
            line1 TEXT NOT NULL,
            line2 TEXT,
            postal_code TEXT NOT NULL,
            city TEXT NOT NULL,
            country TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX addresses_by_account ON addresses(account_id, created_at DESC, id DESC);
        -- Invariant: at most 20 per account. The count and the insert share the writing transaction; on
        -- PostgreSQL the account row is locked first (SELECT … FOR UPDATE) so two inserts cannot both pass.
        """
    )

    static func insert(_ address: Address, limit: Int64, in db: any Transaction) throws {
        // The count below holds until the insert only while no other writer adds an address for the account.
        try db.lockOwner(in: "accounts", key: address.accountID)
        let count = try db.scalar("SELECT COUNT(*) FROM addresses WHERE account_id = ?", address.accountID) ?? 0
        guard count < limit else { throw AddressError.limitReached }
        try db.run(
            """
            INSERT INTO addresses (id, account_id, name, line1, line2, postal_code, city, country, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            address.id, address.accountID, address.name, address.line1, address.line2, address.postalCode,
            address.city, address.country, address.createdAt
        )
    }

    /// Newest first; two saved in the same second keep the order they were saved in (SQLite's rowid; PostgreSQL: a
    /// bigserial column).
    static func addresses(of accountID: String, in db: any Transaction) throws -> [Address] {
        try db.query(
            "SELECT * FROM addresses WHERE account_id = ? ORDER BY created_at DESC, rowid DESC", accountID
        ).map(address(from:))
    }

    static func address(_ id: String, in db: any Transaction) throws -> Address? {
        try db.queryOne("SELECT * FROM addresses WHERE id = ?", id).map(address(from:))
    }

    static func delete(_ id: String, of accountID: String, in db: any Transaction) throws -> Bool {
        try db.run("DELETE FROM addresses WHERE id = ? AND account_id = ?", id, accountID) == 1
    }

    static func address(from row: Row) -> Address {
        Address(
            id: row.string("id"), accountID: row.string("account_id"), name: row.string("name"),
            line1: row.string("line1"), line2: row.optionalString("line2"), postalCode: row.string("postal_code"),
            city: row.string("city"), country: row.string("country"), createdAt: row.int64("created_at")
        )
    }
}
