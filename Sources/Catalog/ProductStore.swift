import Core
import Storage

/// The product SQL that other features compose inside their own transactions (STYLE.md §2.3).
public enum ProductStore {
    public static let migrations: [Migration] = [
        Migration(
            "0200_create_products",
            """
            CREATE TABLE products (
                id TEXT PRIMARY KEY,
                sku TEXT NOT NULL UNIQUE,
                title TEXT NOT NULL,
                description TEXT NOT NULL DEFAULT '',
                price_cents INTEGER NOT NULL CHECK (price_cents > 0),
                stock INTEGER NOT NULL CHECK (stock >= 0),
                category TEXT NOT NULL,
                image_url TEXT,
                active INTEGER NOT NULL DEFAULT 1,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            );
            CREATE INDEX products_by_time ON products(created_at DESC, id DESC);
            CREATE INDEX products_by_category ON products(category, created_at DESC, id DESC);
            """
        ),
    ]

    static let columns = "id, sku, title, description, price_cents, stock, category, image_url, active, created_at, updated_at"

    /// A product by id, active or not.
    public static func product(_ id: String, in db: any Transaction) throws -> Product? {
        try db.queryOne("SELECT \(columns) FROM products WHERE id = ?", id).map(product(from:))
    }

    /// Takes `quantity` units out of stock, or throws `out_of_stock` and changes nothing.
    ///
    /// The `stock >= ?` guard inside the UPDATE is what makes overselling impossible, even outside one writer.
    public static func takeStock(
        _ productID: String, quantity: Int64, field: String? = nil, now: Int64, in db: any Transaction
    ) throws {
        let changed = try db.run(
            "UPDATE products SET stock = stock - ?, updated_at = ? WHERE id = ? AND stock >= ?",
            quantity, now, productID, quantity
        )
        guard changed == 1 else {
            guard let current = try product(productID, in: db) else { throw CatalogError.productNotFound(productID) }
            throw CatalogError.outOfStock(productID: productID, available: current.stock, field: field)
        }
    }

    /// Puts units back into stock (refunds, unsold flash units).
    public static func returnStock(_ productID: String, quantity: Int64, now: Int64, in db: any Transaction) throws {
        try db.run("UPDATE products SET stock = stock + ?, updated_at = ? WHERE id = ?", quantity, now, productID)
    }

    /// The id of the product with this SKU (the demo loader names products by SKU).
    public static func id(sku: String, in db: any Transaction) throws -> String? {
        try db.queryOne("SELECT id FROM products WHERE sku = ?", sku)?.string("id")
    }

    /// Products whose stock went below zero; `basar check` expects none (the guarded UPDATE of `takeStock` prevents it).
    public static func negativeStockCount(in db: any Transaction) throws -> Int64 {
        try db.scalar("SELECT COUNT(*) FROM products WHERE stock < 0") ?? 0
    }

    public static func product(from row: Row) -> Product {
        Product(
            id: row.string("id"), sku: row.string("sku"), title: row.string("title"),
            description: row.string("description"), priceCents: row.int64("price_cents"), stock: row.int64("stock"),
            category: row.string("category"), imageURL: row.optionalString("image_url"), active: row.bool("active"),
            createdAt: row.int64("created_at"), updatedAt: row.int64("updated_at")
        )
    }
}
