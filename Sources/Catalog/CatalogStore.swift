import Core
import Storage

/// The catalog's SQL beyond the lead's `ProductStore`: writing products, lists, search and categories.
enum CatalogStore {
    static let prefixedColumns = ProductStore.columns.split(separator: ",")
        .map { "p." + String($0).trimmedWhitespace }.joined(separator: ", ")

    static func insert(_ product: Product, in db: any Transaction) throws {
        do {
            // In a savepoint: a failed statement aborts the whole transaction on PostgreSQL, and the caller may go on.
            _ = try db.savepoint {
                try db.run(
                    """
                    INSERT INTO products (id, sku, title, description, price_cents, stock, category, image_url, active,
                        created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    product.id, product.sku, product.title, product.description, product.priceCents, product.stock,
                    product.category, product.imageURL, product.active, product.createdAt, product.updatedAt
                )
            }
        } catch let error as SQLiteError where error.isUniqueConstraintViolation {
            throw CatalogError.skuTaken(product.sku)
        }
    }

    static func update(_ product: Product, in db: any Transaction) throws {
        try db.run(
            """
            UPDATE products SET title = ?, description = ?, price_cents = ?, category = ?, image_url = ?, active = ?,
                updated_at = ?
            WHERE id = ?
            """,
            product.title, product.description, product.priceCents, product.category, product.imageURL,
            product.active, product.updatedAt, product.id
        )
    }

    /// Adds `delta` to the stock unless that would make it negative.
    static func adjustStock(_ id: String, delta: Int64, now: Int64, in db: any Transaction) throws -> Product {
        let changed = try db.run(
            "UPDATE products SET stock = stock + ?, updated_at = ? WHERE id = ? AND stock + ? >= 0",
            delta, now, id, delta
        )
        guard let product = try ProductStore.product(id, in: db) else { throw CatalogError.productNotFound(id) }
        guard changed == 1 else {
            throw CatalogError.outOfStock(productID: id, available: product.stock, field: "delta")
        }
        return product
    }

    /// Records who changed the stock by how much and why.
    static func recordAdjustment(
        of id: String, delta: Int64, reason: String, by accountID: String, now: Int64, in db: any Transaction
    ) throws {
        try db.run(
            "INSERT INTO stock_adjustments (product_id, account_id, delta, reason, created_at) VALUES (?, ?, ?, ?, ?)",
            id, accountID, delta, reason, now
        )
    }

    /// The catalog's change counters, which triggers (migration 0205) bump in every writing transaction.
    static func versions(in db: any Transaction) throws -> SearchCache.Versions {
        // PostgreSQL: the same counters, bumped by row triggers calling one plpgsql function.
        guard let row = try db.queryOne("SELECT products, search FROM catalog_versions WHERE id = 1") else {
            throw Failure.invalidState("catalog_versions has no row")
        }
        return SearchCache.Versions(products: row.int64("products"), search: row.int64("search"))
    }

    // MARK: - Lists

    /// Newest first by `(created_at, id)`, a keyset cursor, so adding products never shifts a page.
    static func list(_ filter: ProductFilter, page: PageRequest, in db: any Transaction) throws -> Page<Product> {
        if let text = filter.query {
            let query = SearchQuery(text)
            if !query.isEmpty { return try search(query, filter: filter, page: page, in: db) }
        }
        let (conditions, arguments) = filterConditions(filter)
        return try Keyset.newestFirst(
            "SELECT \(ProductStore.columns) FROM products", conditions: conditions, arguments: arguments, page: page,
            in: db, map: ProductStore.product(from:), key: { ($0.createdAt, $0.id) }
        )
    }

    /// Relevance first, then newest. Relevance is a tier that depends on the product alone (every word in the
    /// title ranks before matches that need the description), not on corpus statistics such as bm25's, so the
    /// keyset cursor `(tier, created_at, id)` stays valid while products are added.
    ///
    /// Each tier is its own FTS5 query, streamed newest first by the time-key rowid (migration 0204): tier 0 from the
    /// title-only index (migration 0206) with its own LIMIT, then tier 1 only if the page is not full. No step sorts more than one page plus the products
    /// that share the page's last second, whatever the number of matches.
    static func search(
        _ query: SearchQuery, filter: ProductFilter, page: PageRequest, in db: any Transaction
    ) throws -> Page<Product> {
        var start: (tier: Int64, time: Int64, id: String)?
        if let cursor = page.cursor {
            guard let key = Cursor.decode(cursor), key.count == 3, let tier = key[0].intValue,
                  let time = key[1].intValue, (-searchTimeLimit..<searchTimeLimit).contains(time),
                  let id = key[2].stringValue
            else { throw Failure.invalid("cursor", "is not a valid cursor") }
            start = (tier, time, id)
        }
        // A category that no product uses would otherwise make FTS5 stream every match only to filter it away.
        if let category = filter.category,
           try db.scalar("SELECT EXISTS (SELECT 1 FROM products WHERE category = ?)", category) == 0 {
            return Page(items: [], nextCursor: nil)
        }
        let wanted = page.limit + 1
        var ranked: [(tier: Int64, product: Product)] = []
        for tier: Int64 in [0, 1] where ranked.count < wanted && tier >= (start?.tier ?? 0) {
            let after = start.flatMap { $0.tier == tier ? (time: $0.time, id: $0.id) : nil }
            ranked += try searchTier(
                tier, query, filter: filter, after: after, count: wanted - ranked.count, in: db
            ).map { (tier, $0) }
        }
        let page = Page(fetched: ranked, limit: page.limit) {
            [.int($0.tier), .int($0.product.createdAt), .string($0.product.id)]
        }
        return Page(items: page.items.map(\.product), nextCursor: page.nextCursor)
    }

    /// Cursor times beyond this would overflow `created_at << 20`; no product of this server has one.
    static let searchTimeLimit: Int64 = 1 << 42

    /// The first `count` matches of one tier after `after`, by `(created_at DESC, id DESC)`.
    ///
    /// Tier 0 reads the title-only index. Tier 1 stays one FTS5 expression over the two-column index, which FTS5
    /// evaluates by merging doclists; a per-row `NOT EXISTS` probe of the title index looked cheaper but SQLite runs
    /// it as a full MATCH per candidate (750 ms for `kase` at 100,000 products).
    ///
    /// FTS5 hands over matches by descending time key, so `LIMIT count` stops after one page. Keys inside one second
    /// follow insertion order, not id order, so when the last match is not the first key of its second, the rest of
    /// that second is read too and the few rows are sorted by id (ids compare as bytes, like SQLite).
    private static func searchTier(
        _ tier: Int64, _ query: SearchQuery, filter: ProductFilter, after: (time: Int64, id: String)?, count: Int,
        in db: any Transaction
    ) throws -> [Product] {
        if db.dialect == .postgres {
            return try postgresSearchTier(tier, query, filter: filter, after: after, count: count, in: db)
        }
        let index = tier == 0 ? "products_title_fts" : "products_fts"
        let filtered = filterConditions(filter, on: "k")
        var conditions = ["\(index) MATCH ?"] + filtered.conditions
        var arguments: [(any SQLBindable)?] = [tier == 0 ? query.anyColumn : query.notAllInTitle] + filtered.arguments
        if let after {
            conditions.append("\(index).rowid < ? AND (\(index).rowid < ? OR k.product_id < ?)")
            arguments += [(after.time + 1) << 20, after.time << 20, after.id]
        }
        let select = """
            SELECT k.key AS search_key, \(prefixedColumns)
            FROM \(index)
            JOIN product_search_keys k ON k.key = \(index).rowid
            JOIN products p ON p.id = k.product_id
            WHERE \(conditions.joined(separator: " AND "))
            """
        var rows = try db.query(select + " ORDER BY \(index).rowid DESC LIMIT ?", arguments: arguments + [count])
        // Fewer rows than asked means every match is here; a last key that opens its second means no other.
        if rows.count == count, let lastKey = rows.last?.int64("search_key"), lastKey != (lastKey >> 20) << 20 {
            let secondStart = (lastKey >> 20) << 20
            rows += try db.query(
                select + " AND \(index).rowid >= ? AND \(index).rowid < ?",
                arguments: arguments + [secondStart, lastKey]
            )
        }
        let products = rows.map(ProductStore.product(from:)).sorted { a, b in
            a.createdAt != b.createdAt ? a.createdAt > b.createdAt : b.id.utf8.lexicographicallyPrecedes(a.id.utf8)
        }
        return Array(products.prefix(count))
    }

    /// The filter as conditions on the `active` and `category` columns of `alias` (or the only table), and their
    /// arguments.
    static func filterConditions(
        _ filter: ProductFilter, on alias: String? = nil
    ) -> (conditions: [String], arguments: [(any SQLBindable)?]) {
        let table = alias.map { $0 + "." } ?? ""
        var conditions: [String] = []
        var arguments: [(any SQLBindable)?] = []
        if !filter.includeInactive { conditions.append("\(table)active = 1") }
        if let category = filter.category {
            conditions.append("\(table)category = ?")
            arguments.append(category)
        }
        return (conditions, arguments)
    }

    /// Every category some product uses, by slug; `product_count` counts the active ones.
    static func categories(names: [String: String], in db: any Transaction) throws -> [Category] {
        try db.query(
            """
            SELECT category, SUM(active) AS active_count FROM products GROUP BY category ORDER BY category
            """
        ).map { row in
            let slug = row.string("category")
            return Category(slug: slug, name: names[slug] ?? slug, productCount: row.int64("active_count"))
        }
    }
}
