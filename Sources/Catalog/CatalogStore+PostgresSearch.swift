import Storage

extension CatalogStore {
    /// PostgreSQL's form of one relevance tier of a search: the first `count` matches after `after`, by
    /// `(created_at DESC, id DESC)`.
    ///
    /// The GIN indexes of migrations 0201 and 0206 cover `basar_search_vector` of the title and of title and
    /// description, and `basar_prefix_query` folds the query's words the same way (accents and case, every word a
    /// prefix, API.md §12). Tier 0 needs every word in the title; tier 1 every word in title or description, minus
    /// the products whose title has them all, read from the title index as one set (not a vector computed per row).
    ///
    /// `MATERIALIZED` keeps the ORDER BY and LIMIT out of the match: given them, the planner walks
    /// `products_by_time` and computes the vector of every row it passes, which for a word rarer than it estimates,
    /// and always for tier 1 (whose two conditions it takes as independent), reads the whole table: 1.3–5 s at
    /// 100,000 products. Matched through the indexes and sorted as `(created_at, id)` pairs before one page of rows
    /// is read, a search costs what its matches cost: 4–13 ms for most words at 100,000, 54–86 ms when every product
    /// matches. The order, the cursor's comparison and the id order are all the database's, so pages never skip or
    /// repeat a product.
    static func postgresSearchTier(
        _ tier: Int64, _ query: SearchQuery, filter: ProductFilter, after: (time: Int64, id: String)?, count: Int,
        in db: any Transaction
    ) throws -> [Product] {
        let words = query.words.joined(separator: " ")
        let inTitle = "basar_search_vector(p.title) @@ basar_prefix_query(?)"
        let filtered = filterConditions(filter, on: "p")
        var conditions = filtered.conditions
        var arguments = filtered.arguments
        if tier == 0 {
            conditions.insert(inTitle, at: 0)
            arguments.insert(words, at: 0)
        } else {
            conditions.insert(contentsOf: [
                "basar_search_vector(p.title || ' ' || p.description) @@ basar_prefix_query(?)",
                "p.id NOT IN (SELECT p.id FROM products p WHERE \(inTitle))",
            ], at: 0)
            arguments.insert(contentsOf: [words, words], at: 0)
        }
        if let after {
            conditions.append("(p.created_at, p.id) < (?, ?)")
            arguments += [after.time, after.id]
        }
        return try db.query(
            """
            WITH matches AS MATERIALIZED (
                SELECT p.id, p.created_at FROM products p WHERE \(conditions.joined(separator: " AND "))
            )
            SELECT \(prefixedColumns) FROM (
                SELECT id, created_at FROM matches ORDER BY created_at DESC, id DESC LIMIT ?
            ) m JOIN products p ON p.id = m.id
            ORDER BY p.created_at DESC, p.id DESC
            """,
            arguments: arguments + [count]
        ).map(ProductStore.product(from:))
    }
}
