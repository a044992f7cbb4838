import Core
import Storage

/// What a rebuild counted.
public struct RecommendationRebuild: Sendable, Equatable {
    /// Orders not fully refunded, and their lines.
    public var orders: Int64
    public var orderLines: Int64
    public var products: Int
    /// Unordered pairs of products bought together.
    public var pairs: Int
    /// How long the read and count on the snapshot took, and the write (the only part that holds the writer).
    public var readMilliseconds: Int64 = 0
    public var writeMilliseconds: Int64 = 0
}

extension RecommendationIndex {
    /// Everything a rebuild installs, read on one snapshot.
    struct Snapshot: Sendable {
        var position: Int64
        var fromDay: Int64
        var products: [(id: String, orders: Int64)]
        var pairs: [(product: Int32, other: Int32, together: Int64)]
        var sales: [(day: Int64, product: String, units: Int64)]
        var summary: RecommendationRebuild
    }

    static let pageRows = 50_000

    /// Reads every order on one snapshot and counts co-purchases and the window's sales in memory; the event log's
    /// position on the same snapshot says which events the counts already hold.
    static func snapshot(now: Int64, in db: Connection) throws -> Snapshot {
        let position = try EventLog.lastID(in: db)
        let fromDay = now / day - (windowDays - 1)
        var counter = CoPurchaseCounter()
        var sales: [String: [Int64: Int64]] = [:]
        var (orders, lines): (Int64, Int64) = (0, 0)
        var after = ""
        while true {
            // Read by position: a million rows make the name lookups of `Row` a measurable share of the build.
            let rows = try db.query(
                """
                SELECT i.order_id, i.product_id, i.quantity - i.refunded_quantity, o.created_at, o.status = 'refunded'
                FROM order_items i JOIN orders o ON o.id = i.order_id
                WHERE i.order_id > ? ORDER BY i.order_id, i.line LIMIT ?
                """,
                after, Int64(pageRows)
            )
            let full = rows.count == pageRows
            // A full page may end inside an order: that order is read again with the next page.
            let last = full ? text(rows[rows.count - 1][0]) : nil
            var current = ""
            var products: [String] = []
            func flush() {
                guard !products.isEmpty else { return }
                counter.add(order: products)
                orders += 1
                lines += Int64(products.count)
                products.removeAll(keepingCapacity: true)
            }
            for row in rows {
                let order = text(row[0])
                if order == last { break }
                if order != current {
                    flush()
                    current = order
                }
                guard integer(row[4]) == 0 else { continue }
                let product = text(row[1])
                products.append(product)
                let orderDay = integer(row[3]) / day
                if orderDay >= fromDay { sales[product, default: [:]][orderDay, default: 0] += integer(row[2]) }
            }
            flush()
            guard full, let last else { break }
            if current.isEmpty || current == after {
                // One order larger than a page cannot happen (50 lines at most); stop rather than loop.
                throw Failure.invalidState("order \(last) does not fit a page")
            }
            after = current
        }
        let (products, pairs) = counter.sorted()
        var salesRows: [(day: Int64, product: String, units: Int64)] = []
        for (product, days) in sales {
            for (day, units) in days where units != 0 { salesRows.append((day, product, units)) }
        }
        salesRows.sort { ($0.day, $0.product) < ($1.day, $1.product) }
        return Snapshot(
            position: position, fromDay: fromDay, products: products, pairs: pairs, sales: salesRows,
            summary: RecommendationRebuild(orders: orders, orderLines: lines, products: products.count, pairs: pairs.count / 2)
        )
    }

    private static func text(_ value: SQLValue) -> String {
        if case let .text(text) = value { return text }
        return ""
    }

    private static func integer(_ value: SQLValue) -> Int64 {
        if case let .integer(number) = value { return number }
        return 0
    }

    /// Replaces the tables with the snapshot's counts and sets the consumer's cursor to the snapshot's position, so
    /// events committed after the snapshot are applied on top (the appended event wakes the dispatcher for them).
    static func install(_ snapshot: Snapshot, now: Int64, in db: Connection) throws {
        for table in ["co_purchase_counts", "co_purchase_pairs", "product_sales_days", "product_sales_recent"] {
            try db.run("DELETE FROM \(table)")
        }
        let ids = snapshot.products.map(\.id)
        try insertRows("co_purchase_counts (product_id, orders)", columns: 2, count: snapshot.products.count, in: db) { i, out in
            out.append(snapshot.products[i].id)
            out.append(snapshot.products[i].orders)
        }
        try insertRows("co_purchase_pairs (product_id, other_id, together)", columns: 3, count: snapshot.pairs.count, in: db) { i, out in
            let pair = snapshot.pairs[i]
            out.append(ids[Int(pair.product)])
            out.append(ids[Int(pair.other)])
            out.append(pair.together)
        }
        try insertRows("product_sales_days (day, product_id, units)", columns: 3, count: snapshot.sales.count, in: db) { i, out in
            out.append(snapshot.sales[i].day)
            out.append(snapshot.sales[i].product)
            out.append(snapshot.sales[i].units)
        }
        try db.run(
            """
            INSERT INTO product_sales_recent (product_id, units)
            SELECT product_id, SUM(units) FROM product_sales_days GROUP BY product_id HAVING SUM(units) > 0
            """
        )
        try RecommendationStore.setSalesFromDay(snapshot.fromDay, in: db)
        try RecommendationStore.bumpVersion(in: db)
        try EventLog.advance(consumerName, to: snapshot.position, in: db)
        try EventLog.append(
            rebuiltEvent, stream: "insights",
            data: ["orders": .int(snapshot.summary.orders), "pairs": .int(Int64(snapshot.summary.pairs))], now: now, in: db
        )
        try Scheduler.schedule(rollJob, key: "daily", at: (now / day + 1) * day, in: db)
    }

    /// Inserts `count` rows with multi-row statements (SQLite allows 32,766 parameters; 200 rows stay well below);
    /// `row` appends the values of row `i`.
    private static func insertRows(
        _ target: String, columns: Int, count: Int, in db: Connection, row: (Int, inout [(any SQLBindable)?]) -> Void
    ) throws {
        let chunk = 200
        let tuple = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        let fullSQL = "INSERT INTO \(target) VALUES " + Array(repeating: tuple, count: chunk).joined(separator: ", ")
        var arguments: [(any SQLBindable)?] = []
        arguments.reserveCapacity(chunk * columns)
        var start = 0
        while start < count {
            let end = min(start + chunk, count)
            arguments.removeAll(keepingCapacity: true)
            for i in start..<end { row(i, &arguments) }
            let sql = end - start == chunk
                ? fullSQL : "INSERT INTO \(target) VALUES " + Array(repeating: tuple, count: end - start).joined(separator: ", ")
            try db.run(sql, arguments: arguments)
            start = end
        }
    }
}
