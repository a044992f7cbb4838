import Storage

extension CatalogStore {
    /// PostgreSQL's form of one relevance tier of a search: the first `count` matches after `after`, by
    /// `(created_at DESC, id DESC)`.
    ///
    /// The GIN indexes of migrations 0201 and 0206 cover `basar_search_vector` of the title and of title and
    /// description, and `basar_prefix_query` folds the query's words the same way (accents and case, every word a
    /// prefix, API.md §12). Tier 0 needs every word in the title; tier 1 every word in title or description, but not
    /// all in the title. PostgreSQL orders and pages the matches itself: with statistics on the indexed expressions
    /// it walks `products_by_time` and stops after a page when a word is common, or reads the GIN index and sorts
    /// the few matches when it is rare, so unlike FTS5 no time key is needed. The order, the cursor's comparison and
    /// the id order are all the database's, so pages never skip or repeat a product.
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
                "basar_search_vector(p.title || ' ' || p.description) @@ basar_prefix_query(?)", "NOT (\(inTitle))",
            ], at: 0)
            arguments.insert(contentsOf: [words, words], at: 0)
        }
        if let after {
            conditions.append("(p.created_at, p.id) < (?, ?)")
            arguments += [after.time, after.id]
        }
        return try db.query(
            """
            SELECT \(prefixedColumns) FROM products p
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY p.created_at DESC, p.id DESC LIMIT ?
            """,
            arguments: arguments + [count]
        ).map(ProductStore.product(from:))
    }
}
