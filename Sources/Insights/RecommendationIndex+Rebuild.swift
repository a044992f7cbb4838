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
    static func snapshot(now: Int64, in db: any Transaction) throws -> Snapshot {
        let position = try EventLog.lastID(in: db)
        let fromDay = now / day - (windowDays - 1)
        var counter = CoPurchaseCounter()
        var sales: [String: [Int64: Int64]] = [:]
        var (orders, lines): (Int64, Int64) = (0, 0)
        var after = ""
        while true {
            let rows = try RecommendationStore.orderLines(after: after, limit: pageRows, in: db)
            let full = rows.count == pageRows
            // A full page may end inside an order: that order is read again with the next page.
            let last = full ? rows[rows.count - 1].orderID : nil
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
                let order = row.orderID
                if order == last { break }
                if order != current {
                    flush()
                    current = order
                }
                guard !row.orderRefunded else { continue }
                products.append(row.productID)
                let orderDay = row.orderCreatedAt / day
                if orderDay >= fromDay { sales[row.productID, default: [:]][orderDay, default: 0] += row.units }
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

    /// Replaces the tables with the snapshot's counts and sets the consumer's cursor to the snapshot's position, so
    /// events committed after the snapshot are applied on top (the appended event wakes the dispatcher for them).
    static func install(_ snapshot: Snapshot, now: Int64, in db: any Transaction) throws {
        // The consumer's cursor first, as the dispatcher's batches take it: a batch running meanwhile then waits
        // (or this does) instead of the two locking the count tables in opposite orders (PostgreSQL's deadlock).
        _ = try EventLog.lockedCursor(of: consumerName, in: db)
        try RecommendationStore.replaceCounts(
            products: snapshot.products, pairs: snapshot.pairs, sales: snapshot.sales, in: db
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
}
