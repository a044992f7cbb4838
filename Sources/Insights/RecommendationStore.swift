import Core
import Storage

/// The recommendations' SQL: the co-purchase table, sales per day and their 30-day sums, and the reporting reads of
/// Payments' orders and Catalog's products they are built from and filtered by.
enum RecommendationStore {
    // MARK: - State

    /// `(version, salesFromDay)`: the change counter every cache compares, and the first day inside the window.
    static func state(in db: any Transaction) throws -> (version: Int64, salesFromDay: Int64?) {
        let row = try db.queryOne("SELECT version, sales_from_day FROM recommendation_state WHERE id = 1")
        return (row?.int64("version") ?? 0, row?.optionalInt64("sales_from_day"))
    }

    /// The recommendation version and Catalog's product-change counter (migration 0205), in one statement.
    static func versions(in db: any Transaction) throws -> (recommendations: Int64, products: Int64) {
        let row = try db.queryOne(
            """
            SELECT (SELECT version FROM recommendation_state WHERE id = 1) AS recommendations,
                (SELECT products FROM catalog_versions WHERE id = 1) AS products
            """
        )
        return (row?.optionalInt64("recommendations") ?? 0, row?.optionalInt64("products") ?? 0)
    }

    static func bumpVersion(in db: any Transaction) throws {
        try db.run("UPDATE recommendation_state SET version = version + 1 WHERE id = 1")
    }

    static func setSalesFromDay(_ day: Int64, in db: any Transaction) throws {
        try db.run("UPDATE recommendation_state SET sales_from_day = ? WHERE id = 1", day)
    }

    // MARK: - Incremental changes

    /// Adds orders (each its distinct products; `delta` −1 takes them out) to the co-purchase counts, one upsert per
    /// row however many orders share it, in key order (PostgreSQL: two batches lock their rows in one order, never a
    /// deadlock).
    static func addCoPurchases(_ orders: [[String]], delta: Int64 = 1, in db: any Transaction) throws {
        var counts: [String: Int64] = [:]
        var pairs: [PairKey: Int64] = [:]
        for products in orders {
            for product in products {
                counts[product, default: 0] += delta
                for other in products where other != product { pairs[PairKey(product: product, other: other), default: 0] += delta }
            }
        }
        for (product, orders) in counts.sorted(by: { $0.key < $1.key }) {
            try upsertCount(product, delta: orders, in: db)
        }
        for (pair, together) in pairs.sorted(by: { ($0.key.product, $0.key.other) < ($1.key.product, $1.key.other) }) {
            try upsertPair(pair.product, pair.other, delta: together, in: db)
        }
    }

    struct PairKey: Hashable {
        var product: String
        var other: String
    }

    /// Adds (`delta` 1) or removes (`delta` −1) one order's distinct products from the co-purchase counts.
    static func addCoPurchase(_ products: [String], delta: Int64, in db: any Transaction) throws {
        try addCoPurchases([products], delta: delta, in: db)
        if delta < 0 {
            for product in products {
                try db.run("DELETE FROM co_purchase_counts WHERE product_id = ? AND orders <= 0", product)
                try db.run("DELETE FROM co_purchase_pairs WHERE product_id = ? AND together <= 0", product)
            }
        }
    }

    private static func upsertCount(_ product: String, delta: Int64, in db: any Transaction) throws {
        try db.run(
            """
            INSERT INTO co_purchase_counts (product_id, orders) VALUES (?, ?)
            ON CONFLICT (product_id) DO UPDATE SET orders = co_purchase_counts.orders + excluded.orders
            """,
            product, delta
        )
    }

    private static func upsertPair(_ product: String, _ other: String, delta: Int64, in db: any Transaction) throws {
        try db.run(
            """
            INSERT INTO co_purchase_pairs (product_id, other_id, together) VALUES (?, ?, ?)
            ON CONFLICT (product_id, other_id) DO UPDATE SET together = co_purchase_pairs.together + excluded.together
            """,
            product, other, delta
        )
    }

    /// Adds units (negative for a refund) to a day and to the window's sums.
    static func addSales(day: Int64, product: String, units: Int64, in db: any Transaction) throws {
        guard units != 0 else { return }
        try db.run(
            """
            INSERT INTO product_sales_days (day, product_id, units) VALUES (?, ?, ?)
            ON CONFLICT (day, product_id) DO UPDATE SET units = product_sales_days.units + excluded.units
            """,
            day, product, units
        )
        try db.run(
            """
            INSERT INTO product_sales_recent (product_id, units) VALUES (?, ?)
            ON CONFLICT (product_id) DO UPDATE SET units = product_sales_recent.units + excluded.units
            """,
            product, units
        )
        if units < 0 {
            // A day or a product refunded down to nothing leaves no row, as a rebuild would.
            try db.run("DELETE FROM product_sales_days WHERE day = ? AND product_id = ? AND units <= 0", day, product)
            try db.run("DELETE FROM product_sales_recent WHERE product_id = ? AND units <= 0", product)
        }
    }

    /// Takes one day out of the window: its units leave the sums, its rows go.
    static func rollOut(day: Int64, in db: any Transaction) throws {
        for row in try db.query("SELECT product_id, units FROM product_sales_days WHERE day = ?", day) {
            let product = row.string("product_id")
            try db.run("UPDATE product_sales_recent SET units = units - ? WHERE product_id = ?", row.int64("units"), product)
            try db.run("DELETE FROM product_sales_recent WHERE product_id = ? AND units <= 0", product)
        }
        try db.run("DELETE FROM product_sales_days WHERE day = ?", day)
    }

    /// When an order was placed (orders never change their time).
    static func orderCreatedAt(_ orderID: String, in db: any Transaction) throws -> Int64? {
        try db.scalar("SELECT created_at FROM orders WHERE id = ?", orderID)
    }

    /// The units of one refund by product (refund rows never change).
    static func refundedUnits(_ refundID: String, in db: any Transaction) throws -> [(product: String, quantity: Int64)] {
        try db.query("SELECT product_id, quantity FROM refund_items WHERE refund_id = ?", refundID).map {
            ($0.string("product_id"), $0.int64("quantity"))
        }
    }

    // MARK: - Reading

    /// The orders holding `productID`, and its best `limit` co-purchases among active products in stock, in list
    /// order. `complete` says whether the list holds every such product.
    static func coPurchases(of productID: String, limit: Int, in db: any Transaction) throws -> (anchorOrders: Int64, items: [CoPurchase], complete: Bool) {
        guard let anchor = try db.scalar("SELECT orders FROM co_purchase_counts WHERE product_id = ?", productID), anchor > 0
        else { return (0, [], true) }
        let select = """
            SELECT r.other_id, r.together, c.orders FROM co_purchase_pairs r
            JOIN co_purchase_counts c ON c.product_id = r.other_id
            JOIN products p ON p.id = r.other_id
            WHERE r.product_id = ? AND p.active = 1 AND p.stock > 0
            ORDER BY r.together DESC, r.other_id
            """
        func read(_ rows: [Row]) -> [CoPurchase] {
            rows.map { CoPurchase(productID: $0.string("other_id"), together: $0.int64("together"), orders: $0.int64("orders")) }
        }
        // First the rows most often bought together; when even the last of them could not beat the list's last
        // entry (Cosine.bound), no later row can either, and the scan stops exactly.
        guard limit < 10_000 else {
            let all = read(try db.query(select, productID))
            return (anchor, Cosine.top(all, limit: limit), all.count <= limit)
        }
        let probe = max(4 * limit, 64)
        let first = read(try db.query(select + " LIMIT ?", productID, Int64(probe)))
        var candidates = first
        if first.count == probe {
            let top = Cosine.top(first, limit: limit)
            let bound = Cosine.bound(together: first[first.count - 1].together, anchorOrders: anchor)
            let stop = top.count == limit
                && bound < Cosine.score(together: top[limit - 1].together, anchorOrders: anchor, otherOrders: top[limit - 1].orders)
            if stop { return (anchor, top, false) }
            candidates = read(try db.query(select, productID))
        }
        return (anchor, Cosine.top(candidates, limit: limit), candidates.count <= limit)
    }

    /// Best sellers (units net of refunds inside the window) among active products in stock, optionally of one
    /// category, highest first, ties by product id.
    static func bestSellers(category: String?, limit: Int, in db: any Transaction) throws -> [(product: String, units: Int64)] {
        let rows: [Row]
        if let category {
            rows = try db.query(
                """
                SELECT r.product_id, r.units FROM product_sales_recent r JOIN products p ON p.id = r.product_id
                WHERE p.category = ? AND p.active = 1 AND p.stock > 0 AND r.units > 0
                ORDER BY r.units DESC, r.product_id LIMIT ?
                """,
                category, Int64(limit)
            )
        } else {
            rows = try db.query(
                """
                SELECT r.product_id, r.units FROM product_sales_recent r JOIN products p ON p.id = r.product_id
                WHERE p.active = 1 AND p.stock > 0 AND r.units > 0
                ORDER BY r.units DESC, r.product_id LIMIT ?
                """,
                Int64(limit)
            )
        }
        return rows.map { ($0.string("product_id"), $0.int64("units")) }
    }

    /// Products in the account's orders placed since `since`, refunded or not.
    static func productsBought(by accountID: String, since: Int64, in db: any Transaction) throws -> Set<String> {
        Set(try db.query(
            """
            SELECT DISTINCT i.product_id FROM orders o JOIN order_items i ON i.order_id = o.id
            WHERE o.account_id = ? AND o.created_at >= ?
            """,
            accountID, since
        ).map { $0.string("product_id") })
    }

    /// The account's most recent distinct purchases in orders not fully refunded, newest first.
    static func purchases(of accountID: String, limit: Int, in db: any Transaction) throws -> [String] {
        try db.query(
            """
            SELECT i.product_id, MAX(o.created_at) AS last FROM orders o JOIN order_items i ON i.order_id = o.id
            WHERE o.account_id = ? AND o.status <> 'refunded'
            GROUP BY i.product_id ORDER BY last DESC, i.product_id LIMIT ?
            """,
            accountID, Int64(limit)
        ).map { $0.string("product_id") }
    }
}
