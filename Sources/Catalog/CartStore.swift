import Core
import Storage

/// The cart SQL, also used by checkout inside its own transaction.
public enum CartStore {
    /// The cart of `accountID`, lines in the order they were first added.
    public static func cart(of accountID: String, in db: any Transaction) throws -> Cart {
        let updatedAt = try db.scalar("SELECT updated_at FROM carts WHERE account_id = ?", accountID)
        let lines = try db.query(
            """
            SELECT c.product_id, c.quantity, p.title, p.price_cents, p.active
            FROM cart_items c JOIN products p ON p.id = c.product_id
            WHERE c.account_id = ? ORDER BY c.position, c.product_id
            """,
            accountID
        ).map { row in
            CartLine(
                productID: row.string("product_id"), title: row.string("title"), quantity: row.int64("quantity"),
                unitPriceCents: row.int64("price_cents"), active: row.bool("active")
            )
        }
        return Cart(items: lines, updatedAt: updatedAt)
    }

    /// Sets the quantity of a product in the cart, adding the line if needed.
    ///
    /// - Throws: `404 not_found` for an unknown or inactive product.
    public static func setQuantity(
        _ quantity: Int64, of productID: String, for accountID: String, now: Int64, in db: any Transaction
    ) throws {
        guard let product = try ProductStore.product(productID, in: db), product.active else {
            throw CatalogError.productNotFound(productID)
        }
        // Two writers must not read the same MAX(position): the account's row orders them.
        try db.lockOwner(in: "accounts", key: accountID)
        let position = (try db.scalar("SELECT MAX(position) FROM cart_items WHERE account_id = ?", accountID) ?? 0) + 1
        // Invariant: one line per product in a cart — the primary key and ON CONFLICT decide, also concurrently.
        try db.run(
            """
            INSERT INTO cart_items (account_id, product_id, quantity, added_at, position) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (account_id, product_id) DO UPDATE SET quantity = excluded.quantity
            """,
            accountID, productID, quantity, now, position
        )
        try touch(accountID, now: now, in: db)
    }

    /// Removes a product from the cart. A line is removed even if its product became inactive since.
    ///
    /// - Throws: `404 not_found` when the line is not there and the product is unknown or inactive.
    public static func remove(_ productID: String, for accountID: String, now: Int64, in db: any Transaction) throws {
        let removed = try db.run(
            "DELETE FROM cart_items WHERE account_id = ? AND product_id = ?", accountID, productID
        )
        if removed == 0 {
            guard let product = try ProductStore.product(productID, in: db), product.active else {
                throw CatalogError.productNotFound(productID)
            }
        }
        try touch(accountID, now: now, in: db)
    }

    /// Empties the cart (after a checkout from it).
    public static func clear(_ accountID: String, now: Int64, in db: any Transaction) throws {
        try db.run("DELETE FROM cart_items WHERE account_id = ?", accountID)
        try touch(accountID, now: now, in: db)
    }

    static func touch(_ accountID: String, now: Int64, in db: any Transaction) throws {
        try db.run(
            """
            INSERT INTO carts (account_id, updated_at) VALUES (?, ?)
            ON CONFLICT (account_id) DO UPDATE SET updated_at = excluded.updated_at
            """,
            accountID, now
        )
        let lines = try db.scalar("SELECT COUNT(*) FROM cart_items WHERE account_id = ?", accountID) ?? 0
        // The abandoned-cart signal (API.md §17) waits 60 minutes after the last of these.
        try EventLog.append(
            cartUpdated, stream: EventLog.accountStream(accountID),
            data: ["account_id": .string(accountID), "lines": .int(lines)], now: now, in: db
        )
    }

    /// The event every cart change appends.
    public static let cartUpdated = "cart.updated"
}
