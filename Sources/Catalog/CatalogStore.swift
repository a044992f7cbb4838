import Core
import Storage

/// The catalog's SQL beyond the lead's `ProductStore`: writing products, lists, search and categories.
enum CatalogStore {
    static let prefixedColumns = ProductStore.columns.split(separator: ",")
        .map { "p." + String($0).trimmedWhitespace }.joined(separator: ", ")

    static func insert(_ product: Product, in db: Connection) throws {
        do {
            try db.run(
                """
                INSERT INTO products (id, sku, title, description, price_cents, stock, category, image_url, active,
                    created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                product.id, product.sku, product.title, product.description, product.priceCents, product.stock,
                product.category, product.imageURL, product.active, product.createdAt, product.updatedAt
            )
        } catch let error as SQLiteError where error.isUniqueConstraintViolation {
            throw CatalogError.skuTaken(product.sku)
        }
    }

    static func update(_ product: Product, in db: Connection) throws {
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
    static func adjustStock(_ id: String, delta: Int64, now: Int64, in db: Connection) throws -> Product {
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

    // MARK: - Lists

    /// Newest first by `(created_at, id)`, a keyset cursor, so adding products never shifts a page.
    static func list(_ filter: ProductFilter, page: PageRequest, in db: Connection) throws -> Page<Product> {
        if let text = filter.query {
            let query = SearchQuery(text)
            if !query.isEmpty { return try search(query, filter: filter, page: page, in: db) }
        }
        var conditions: [String] = []
        var arguments: [(any SQLBindable)?] = []
        if !filter.includeInactive { conditions.append("active = 1") }
        if let category = filter.category {
            conditions.append("category = ?")
            arguments.append(category)
        }
        if let cursor = page.cursor {
            guard let (time, id) = Cursor.decodeTimeAndID(cursor) else { throw Failure.invalid("cursor", "is not a valid cursor") }
            conditions.append("(created_at < ? OR (created_at = ? AND id < ?))")
            arguments += [time, time, id]
        }
        let condition = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments.append(page.limit + 1)
        let rows = try db.query(
            "SELECT \(ProductStore.columns) FROM products \(condition) ORDER BY created_at DESC, id DESC LIMIT ?",
            arguments: arguments
        )
        return Page(fetched: rows.map(ProductStore.product(from:)), limit: page.limit) {
            [.int($0.createdAt), .string($0.id)]
        }
    }

    /// Relevance first, then newest. Relevance is a tier that depends on the product alone (every word in the
    /// title ranks before matches that need the description), not on corpus statistics such as bm25's, so the
    /// keyset cursor `(tier, created_at, id)` stays valid while products are added.
    static func search(
        _ query: SearchQuery, filter: ProductFilter, page: PageRequest, in db: Connection
    ) throws -> Page<Product> {
        var conditions = ["products_fts MATCH ?"]
        var arguments: [(any SQLBindable)?] = [query.titleOnly, query.anyColumn]
        if !filter.includeInactive { conditions.append("p.active = 1") }
        if let category = filter.category {
            conditions.append("p.category = ?")
            arguments.append(category)
        }
        var outer = ""
        if let cursor = page.cursor {
            guard let key = Cursor.decode(cursor), key.count == 3, let tier = key[0].intValue,
                  let time = key[1].intValue, let id = key[2].stringValue
            else { throw Failure.invalid("cursor", "is not a valid cursor") }
            outer = "WHERE tier > ? OR (tier = ? AND (created_at < ? OR (created_at = ? AND id < ?)))"
            arguments += [tier, tier, time, time, id]
        }
        arguments.append(page.limit + 1)
        let rows = try db.query(
            """
            SELECT * FROM (
                SELECT \(prefixedColumns),
                    CASE WHEN s.doc IN (SELECT rowid FROM products_fts WHERE products_fts MATCH ?) THEN 0 ELSE 1 END
                        AS tier
                FROM products_fts
                JOIN product_search_docs s ON s.doc = products_fts.rowid
                JOIN products p ON p.id = s.product_id
                WHERE \(conditions.joined(separator: " AND "))
            ) \(outer)
            ORDER BY tier, created_at DESC, id DESC LIMIT ?
            """,
            arguments: arguments
        )
        let ranked = rows.map { (ProductStore.product(from: $0), $0.int64("tier")) }
        let page = Page(fetched: ranked, limit: page.limit) { [.int($0.1), .int($0.0.createdAt), .string($0.0.id)] }
        return Page(items: page.items.map(\.0), nextCursor: page.nextCursor)
    }

    /// Every category some product uses, by slug; `product_count` counts the active ones.
    static func categories(names: [String: String], in db: Connection) throws -> [Category] {
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
