import Core
import Storage

/// One line of an order as a rebuild counts it.
struct RebuildOrderLine {
    var orderID: String
    var productID: String
    /// Quantity net of refunded units.
    var units: Int64
    var orderCreatedAt: Int64
    /// The whole order is refunded.
    var orderRefunded: Bool
}

/// The SQL of a rebuild and of the window's resets: the bulk read of every order line, and the replacement of the
/// tables.
extension RecommendationStore {
    /// Order lines of orders after `after` in (order, line) order, at most `limit` of them.
    static func orderLines(after: String, limit: Int, in db: any Transaction) throws -> [RebuildOrderLine] {
        // Read by position: a million rows make the name lookups of `Row` a measurable share of the build.
        // CASE makes the refunded flag 0 or 1 on both engines (a comparison is a boolean on PostgreSQL).
        try db.query(
            """
            SELECT i.order_id, i.product_id, i.quantity - i.refunded_quantity, o.created_at,
                CASE WHEN o.status = 'refunded' THEN 1 ELSE 0 END
            FROM order_items i JOIN orders o ON o.id = i.order_id
            WHERE i.order_id > ? ORDER BY i.order_id, i.line LIMIT ?
            """,
            after, Int64(limit)
        ).map { row in
            RebuildOrderLine(
                orderID: text(row[0]), productID: text(row[1]), units: integer(row[2]), orderCreatedAt: integer(row[3]),
                orderRefunded: integer(row[4]) != 0
            )
        }
    }

    private static func text(_ value: SQLValue) -> String {
        if case let .text(text) = value { return text }
        return ""
    }

    private static func integer(_ value: SQLValue) -> Int64 {
        if case let .integer(number) = value { return number }
        return 0
    }

    /// Replaces the co-purchase and sales tables with a rebuild's counts; `pairs` index into `products`.
    static func replaceCounts(
        products: [(id: String, orders: Int64)], pairs: [(product: Int32, other: Int32, together: Int64)],
        sales: [(day: Int64, product: String, units: Int64)], in db: any Transaction
    ) throws {
        for table in ["co_purchase_counts", "co_purchase_pairs", "product_sales_days", "product_sales_recent"] {
            try db.run("DELETE FROM \(table)")
        }
        try db.insertRows("INSERT INTO co_purchase_counts (product_id, orders) VALUES", columns: 2, count: products.count) { i, out in
            out.append(products[i].id)
            out.append(products[i].orders)
        }
        try db.insertRows(
            "INSERT INTO co_purchase_pairs (product_id, other_id, together) VALUES", columns: 3, count: pairs.count
        ) { i, out in
            out.append(products[Int(pairs[i].product)].id)
            out.append(products[Int(pairs[i].other)].id)
            out.append(pairs[i].together)
        }
        try db.insertRows("INSERT INTO product_sales_days (day, product_id, units) VALUES", columns: 3, count: sales.count) { i, out in
            out.append(sales[i].day)
            out.append(sales[i].product)
            out.append(sales[i].units)
        }
        try sumRecentSales(in: db)
    }

    /// After a long idle: drops the days before `firstDay` and sums the window again from the days left.
    static func restartWindow(at firstDay: Int64, in db: any Transaction) throws {
        try db.run("DELETE FROM product_sales_days WHERE day < ?", firstDay)
        try db.run("DELETE FROM product_sales_recent")
        try sumRecentSales(in: db)
    }

    /// Fills the empty `product_sales_recent` with the sums of `product_sales_days`.
    private static func sumRecentSales(in db: any Transaction) throws {
        try db.run(
            """
            INSERT INTO product_sales_recent (product_id, units)
            SELECT product_id, SUM(units) FROM product_sales_days GROUP BY product_id HAVING SUM(units) > 0
            """
        )
    }
}
