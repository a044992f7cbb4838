import Storage

/// Every migration of the Catalog module (range 02xx), in order: the lead's products table, search, carts.
public enum CatalogMigrations {
    public static let all: [Migration] = ProductStore.migrations + [search, carts, stockAdjustments]

    /// Full-text search over title and description, kept in sync by triggers inside every writing transaction.
    ///
    /// `unicode61 remove_diacritics 2` folds case and accents, so `kase` finds `Käse`
    /// (https://sqlite.org/fts5.html#unicode61_tokenizer). The FTS rowid comes from `product_search_docs`, an
    /// INTEGER PRIMARY KEY table, because the implicit rowid of `products` may change on VACUUM
    /// (https://sqlite.org/lang_vacuum.html) and would then no longer point at the right document.
    static let search = Migration(
        "0201_create_product_search",
        """
        CREATE TABLE product_search_docs (
            doc INTEGER PRIMARY KEY,
            product_id TEXT NOT NULL UNIQUE
        );
        CREATE VIRTUAL TABLE products_fts USING fts5(
            title, description, tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER products_search_insert AFTER INSERT ON products BEGIN
            INSERT INTO product_search_docs (product_id) VALUES (new.id);
            INSERT INTO products_fts (rowid, title, description)
                SELECT doc, new.title, new.description FROM product_search_docs WHERE product_id = new.id;
        END;
        CREATE TRIGGER products_search_update AFTER UPDATE OF title, description ON products BEGIN
            DELETE FROM products_fts WHERE rowid = (SELECT doc FROM product_search_docs WHERE product_id = old.id);
            INSERT INTO products_fts (rowid, title, description)
                SELECT doc, new.title, new.description FROM product_search_docs WHERE product_id = new.id;
        END;
        CREATE TRIGGER products_search_delete AFTER DELETE ON products BEGIN
            DELETE FROM products_fts WHERE rowid = (SELECT doc FROM product_search_docs WHERE product_id = old.id);
            DELETE FROM product_search_docs WHERE product_id = old.id;
        END;
        INSERT INTO product_search_docs (product_id) SELECT id FROM products ORDER BY created_at, id;
        INSERT INTO products_fts (rowid, title, description)
            SELECT s.doc, p.title, p.description FROM product_search_docs s JOIN products p ON p.id = s.product_id;
        """
    )

    /// One cart per account: `carts` holds when it last changed (none yet: `updated_at` is null in the API).
    static let carts = Migration(
        "0202_create_carts",
        """
        CREATE TABLE carts (
            account_id TEXT PRIMARY KEY REFERENCES accounts(id),
            updated_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE cart_items (
            account_id TEXT NOT NULL REFERENCES accounts(id),
            product_id TEXT NOT NULL REFERENCES products(id),
            quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 99),
            added_at INTEGER NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (account_id, product_id)
        ) WITHOUT ROWID;
        """
    )

    /// Why stock changed by hand, for the merchant's records.
    static let stockAdjustments = Migration(
        "0203_create_stock_adjustments",
        """
        CREATE TABLE stock_adjustments (
            id INTEGER PRIMARY KEY,
            product_id TEXT NOT NULL REFERENCES products(id),
            account_id TEXT NOT NULL,
            delta INTEGER NOT NULL,
            reason TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX stock_adjustments_by_product ON stock_adjustments(product_id, created_at);
        """
    )
}
