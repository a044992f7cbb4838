import Storage

/// Every migration of the Catalog module (range 02xx), in order: the lead's products table, search, carts.
public enum CatalogMigrations {
    public static let all: [Migration] = ProductStore.migrations + [search, carts, stockAdjustments, searchByTime, versions, titleSearch]

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
        """,
        postgres: """
        -- PostgreSQL: GIN indexes over an expression of the product's own columns, which PostgreSQL keeps in the
        -- writing transaction itself, in place of the documents table, the FTS5 table and their triggers.
        -- unaccent() is only STABLE (it finds its dictionary through search_path) and an index expression must be
        -- IMMUTABLE: the wrapper names the dictionary by schema, so its result depends on the text alone
        -- (https://www.postgresql.org/docs/15/unaccent.html). The extension is the database's, shared by every schema;
        -- IF NOT EXISTS does not cover two sessions creating it at once (nodes or tests migrating side by side):
        -- the later one fails on pg_extension's unique name, which means it exists.
        DO $$ BEGIN
            CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;
        EXCEPTION WHEN unique_violation OR duplicate_object OR duplicate_function THEN NULL;
        END $$;
        CREATE FUNCTION basar_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
            RETURN public.unaccent('public.unaccent'::regdictionary, $1);
        -- The words unicode61 sees: runs of letters and digits (`Tee-Set` is `tee` and `set`, `v1.2` is `v1` and `2`,
        -- where the default parser would keep some whole), accents and case folded. The ICU root collation makes
        -- both Unicode-wide whatever the database's locale.
        CREATE FUNCTION basar_search_vector(text) RETURNS tsvector LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
            RETURN to_tsvector(
                'simple', lower(regexp_replace(basar_unaccent($1) COLLATE "und-x-icu", '[^[:alnum:]]+', ' ', 'g'))
            );
        -- A search (API.md §12): every word of the query, normalised as the text is, a prefix (`musli` and `mü` find
        -- `Müsli`). The lexemes are letters and digits only, so quoting them is all the escaping tsquery needs.
        CREATE FUNCTION basar_prefix_query(text) RETURNS tsquery LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
            RETURN (
                SELECT string_agg(quote_literal(lexeme) || ':*', ' & ')::tsquery FROM unnest(basar_search_vector($1))
            );
        CREATE INDEX products_search ON products USING gin (basar_search_vector(title || ' ' || description));
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

    /// Rebuilds search so that a page never sorts every match (bench/RESULTS.md: 16–52 ms per query at 100,000).
    ///
    /// - `prefix = '1 2 3'` adds prefix indexes, so `t*`, `te*`, `tee*` read one doclist instead of merging the
    ///   doclist of every term that starts so (https://sqlite.org/fts5.html#prefix_indexes).
    /// - The FTS rowid is now a time key, `created_at << 20` plus a sequence within that second, held in
    ///   `product_search_keys` (which replaces 0201's `product_search_docs`). FTS5 streams matches in rowid order
    ///   (`ORDER BY rowid DESC` costs no sort), which is therefore newest first; only the ties inside one second
    ///   still need ordering by id, and `CatalogStore.searchTier` reads and sorts just that second.
    /// - `active` and `category` are copied beside the key, so filtering a streamed match is one integer-key
    ///   lookup instead of a join on the TEXT id of `products`.
    /// The sequence is `max + 1` within the second; 2^20 products in one second would spill into the next second's
    /// keys, far beyond any real write rate. The triggers replace 0201's and keep the copies in the same
    /// transaction as the product row.
    static let searchByTime = Migration(
        "0204_search_by_time_with_prefix_index",
        """
        DROP TRIGGER products_search_insert;
        DROP TRIGGER products_search_update;
        DROP TRIGGER products_search_delete;
        DROP TABLE products_fts;
        DROP TABLE product_search_docs;
        CREATE TABLE product_search_keys (
            key INTEGER PRIMARY KEY,
            product_id TEXT NOT NULL UNIQUE,
            active INTEGER NOT NULL,
            category TEXT NOT NULL
        );
        CREATE VIRTUAL TABLE products_fts USING fts5(
            title, description, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
        );
        CREATE TRIGGER products_search_insert AFTER INSERT ON products BEGIN
            INSERT INTO product_search_keys (key, product_id, active, category)
                SELECT coalesce(max(key) + 1, new.created_at << 20), new.id, new.active, new.category
                FROM product_search_keys
                WHERE key >= new.created_at << 20 AND key < (new.created_at + 1) << 20;
            INSERT INTO products_fts (rowid, title, description)
                SELECT key, new.title, new.description FROM product_search_keys WHERE product_id = new.id;
        END;
        CREATE TRIGGER products_search_update AFTER UPDATE OF title, description ON products BEGIN
            DELETE FROM products_fts WHERE rowid = (SELECT key FROM product_search_keys WHERE product_id = old.id);
            INSERT INTO products_fts (rowid, title, description)
                SELECT key, new.title, new.description FROM product_search_keys WHERE product_id = new.id;
        END;
        CREATE TRIGGER products_search_filters AFTER UPDATE OF active, category ON products BEGIN
            UPDATE product_search_keys SET active = new.active, category = new.category WHERE product_id = new.id;
        END;
        CREATE TRIGGER products_search_time AFTER UPDATE OF created_at ON products
        WHEN new.created_at IS NOT old.created_at BEGIN
            DELETE FROM products_fts WHERE rowid = (SELECT key FROM product_search_keys WHERE product_id = old.id);
            UPDATE product_search_keys SET key = (
                SELECT coalesce(max(key) + 1, new.created_at << 20) FROM product_search_keys
                WHERE key >= new.created_at << 20 AND key < (new.created_at + 1) << 20
            ) WHERE product_id = new.id;
            INSERT INTO products_fts (rowid, title, description)
                SELECT key, new.title, new.description FROM product_search_keys WHERE product_id = new.id;
        END;
        CREATE TRIGGER products_search_delete AFTER DELETE ON products BEGIN
            DELETE FROM products_fts WHERE rowid = (SELECT key FROM product_search_keys WHERE product_id = old.id);
            DELETE FROM product_search_keys WHERE product_id = old.id;
        END;
        INSERT INTO product_search_keys (key, product_id, active, category)
            SELECT (created_at << 20) + row_number() OVER (PARTITION BY created_at ORDER BY id) - 1, id, active,
                category
            FROM products;
        INSERT INTO products_fts (rowid, title, description)
            SELECT k.key, p.title, p.description FROM product_search_keys k JOIN products p ON p.id = k.product_id;
        """,
        postgres: """
        -- PostgreSQL needs no time keys: a search reads its matches from the GIN indexes and sorts just their
        -- (created_at, id) before it reads one page of rows (CatalogStore.postgresSearchTier). Statistics on the
        -- indexed expressions, gathered now rather than at autovacuum's first visit, size those reads.
        ANALYZE products;
        """
    )

    /// Change counters of the catalog for `SearchCache`, bumped by triggers in the writing transaction itself.
    /// `products` counts every change to a product row; `search` only those that can change what a search finds or
    /// its order (a new or deleted product, title, description, category, active, created_at), so stock and price
    /// moves from checkouts leave cached search pages valid.
    static let versions = Migration(
        "0205_catalog_versions",
        """
        CREATE TABLE catalog_versions (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            products INTEGER NOT NULL,
            search INTEGER NOT NULL
        );
        INSERT INTO catalog_versions (id, products, search) VALUES (1, 0, 0);
        CREATE TRIGGER catalog_versions_insert AFTER INSERT ON products BEGIN
            UPDATE catalog_versions SET products = products + 1, search = search + 1 WHERE id = 1;
        END;
        CREATE TRIGGER catalog_versions_delete AFTER DELETE ON products BEGIN
            UPDATE catalog_versions SET products = products + 1, search = search + 1 WHERE id = 1;
        END;
        CREATE TRIGGER catalog_versions_update AFTER UPDATE ON products BEGIN
            UPDATE catalog_versions SET products = products + 1,
                search = search + (old.title IS NOT new.title OR old.description IS NOT new.description
                    OR old.category IS NOT new.category OR old.active IS NOT new.active
                    OR old.created_at IS NOT new.created_at)
            WHERE id = 1;
        END;
        """,
        postgres: """
        CREATE TABLE catalog_versions (
            id BIGINT PRIMARY KEY CHECK (id = 1),
            products BIGINT NOT NULL,
            search BIGINT NOT NULL
        );
        INSERT INTO catalog_versions (id, products, search) VALUES (1, 0, 0);
        CREATE FUNCTION catalog_versions_bump() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE catalog_versions SET products = products + 1,
                search = search + CASE WHEN TG_OP = 'UPDATE'
                    AND (old.title, old.description, old.category, old.active, old.created_at)
                        IS NOT DISTINCT FROM (new.title, new.description, new.category, new.active, new.created_at)
                    THEN 0 ELSE 1 END
            WHERE id = 1;
            RETURN NULL;
        END
        $$;
        -- Deferred to COMMIT, still inside the transaction: the one counter row is then locked from the commit
        -- on, not from a product's first change, so concurrent checkouts do not queue behind each other's whole
        -- transaction, nor deadlock (A: product X, counter; B: product Y, waits for the counter; A: product Y).
        CREATE CONSTRAINT TRIGGER catalog_versions_bump AFTER INSERT OR UPDATE OR DELETE ON products
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION catalog_versions_bump();
        """
    )

    /// The first relevance tier (every word in the title) from its own title-only index.
    ///
    /// Why: in the two-column index a `title : (…)` filter still walks every posting of a word, so a word frequent in
    /// descriptions but rare in titles read its whole doclist to find a few title hits (4–26 ms at 100,000
    /// products; 4 ms → 0.01 ms for `aus` at 100,000). With titles on their own, tier 0 streams newest first and
    /// stops after one page. Rowids are the same time keys as `products_fts`; triggers on `product_search_keys` and
    /// on titles keep it in the writing transaction.
    ///
    /// Prefix indexes up to 8 characters: FTS5 streams a prefix query only when its length has its own prefix index;
    /// a longer word is answered by merging every matching term's doclist in memory first (2–3× slower for `kase`,
    /// `honig`, `muller` at 100,000). Titles are short, so this costs about 5 MiB at 100,000 products.
    static let titleSearch = Migration(
        "0206_title_search",
        """
        CREATE VIRTUAL TABLE products_title_fts USING fts5(
            title, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4 5 6 7 8'
        );
        CREATE TRIGGER products_title_key_insert AFTER INSERT ON product_search_keys BEGIN
            INSERT INTO products_title_fts (rowid, title) SELECT new.key, title FROM products WHERE id = new.product_id;
        END;
        CREATE TRIGGER products_title_key_update AFTER UPDATE OF key ON product_search_keys
        WHEN new.key IS NOT old.key BEGIN
            DELETE FROM products_title_fts WHERE rowid = old.key;
            INSERT INTO products_title_fts (rowid, title) SELECT new.key, title FROM products WHERE id = new.product_id;
        END;
        CREATE TRIGGER products_title_key_delete AFTER DELETE ON product_search_keys BEGIN
            DELETE FROM products_title_fts WHERE rowid = old.key;
        END;
        CREATE TRIGGER products_title_update AFTER UPDATE OF title ON products
        WHEN new.title IS NOT old.title BEGIN
            DELETE FROM products_title_fts WHERE rowid = (SELECT key FROM product_search_keys WHERE product_id = new.id);
            INSERT INTO products_title_fts (rowid, title)
                SELECT key, new.title FROM product_search_keys WHERE product_id = new.id;
        END;
        INSERT INTO products_title_fts (rowid, title)
            SELECT k.key, p.title FROM product_search_keys k JOIN products p ON p.id = k.product_id;
        """,
        postgres: """
        CREATE INDEX products_title_search ON products USING gin (basar_search_vector(title));
        ANALYZE products;
        """
    )
}
