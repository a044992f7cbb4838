import Core
import Payments
import Storage

/// Keeps the co-purchase table and the sales window current from the event log (API.md §21: new orders count
/// within 60 seconds). Each change happens in the consumer's transaction together with its cursor, so every order
/// counts exactly once, crash or not; `version` is bumped in the same transaction for the caches of every node.
public enum RecommendationIndex {
    public static let consumerName = "recommendations"
    /// The daily job that moves the 30-day window of best sellers.
    public static let rollJob = "recommendations.roll_sales"
    /// Appended by a rebuild, so the dispatcher replays what committed after the rebuild's snapshot.
    public static let rebuiltEvent = "recommendations.rebuilt"
    /// Best sellers count units sold in the last 30 UTC days, today included.
    public static let windowDays: Int64 = 30
    static let day: Int64 = 86_400

    public static var consumer: EventConsumer {
        EventConsumer(
            name: consumerName, names: [OrderEvent.paid, OrderEvent.refunded, OrderEvent.refundCreated],
            handleAll: { events, db in try apply(events, in: db) }
        )
    }

    /// A batch of events: the paid orders' additions summed per row before they are written (popular products
    /// share rows), the version bumped once.
    static func apply(_ events: [DomainEvent], in db: any Transaction) throws {
        var paid = PaidOrders()
        var from: Int64?  // the window's first day moves only with the daily roll, never inside a batch
        for event in events {
            if event.name == OrderEvent.paid {
                let salesFrom = try from ?? salesFromDay(now: event.createdAt, in: db)
                from = salesFrom
                paid.add(event, salesFrom: salesFrom)
            } else {
                // A refund subtracts and removes rows that reach zero: what was added before must be in them.
                try paid.write(in: db)
                try apply(event, in: db)
            }
        }
        try paid.write(in: db)
        if !events.isEmpty { try RecommendationStore.bumpVersion(in: db) }
    }

    /// The additions of paid orders, not yet written.
    struct PaidOrders {
        var coPurchases: [[String]] = []
        var sales: [SalesKey: Int64] = [:]

        struct SalesKey: Hashable {
            var day: Int64
            var product: String
        }

        mutating func add(_ event: DomainEvent, salesFrom from: Int64) {
            let items = event.data["items"]?.arrayValue ?? []
            // Co-purchases count orders that are not fully refunded (API.md §24); a paid order never starts refunded.
            if event.data["status"]?.stringValue != "refunded" { coPurchases.append(products(items)) }
            let orderDay = orderTime(event) / day
            guard orderDay >= from else { return }
            for item in items {
                guard let product = item["product_id"]?.stringValue else { continue }
                let units = (item["quantity"]?.intValue ?? 0) - (item["refunded_quantity"]?.intValue ?? 0)
                sales[SalesKey(day: orderDay, product: product), default: 0] += units
            }
        }

        mutating func write(in db: any Transaction) throws {
            try RecommendationStore.addCoPurchases(coPurchases, in: db)
            for (key, units) in sales.sorted(by: { ($0.key.day, $0.key.product) < ($1.key.day, $1.key.product) }) {
                try RecommendationStore.addSales(day: key.day, product: key.product, units: units, in: db)
            }
            self = PaidOrders()
        }
    }

    /// One refund event (a paid order goes through ``PaidOrders``).
    static func apply(_ event: DomainEvent, in db: any Transaction) throws {
        switch event.name {
        case OrderEvent.refunded:
            // A fully refunded order leaves the co-purchases; a partly refunded one still counts (API.md §24).
            guard event.data["status"]?.stringValue == "refunded" else { return }
            try RecommendationStore.addCoPurchase(products(event.data["items"]?.arrayValue ?? []), delta: -1, in: db)
        case OrderEvent.refundCreated:
            guard let refund = event.data["refund_id"]?.stringValue, let order = event.data["order_id"]?.stringValue,
                  let createdAt = try RecommendationStore.orderCreatedAt(order, in: db)
            else { return }
            let from = try salesFromDay(now: event.createdAt, in: db)
            guard createdAt / day >= from else { return }
            for line in try RecommendationStore.refundedUnits(refund, in: db) {
                try RecommendationStore.addSales(day: createdAt / day, product: line.product, units: -line.quantity, in: db)
            }
        default:
            return
        }
    }

    static func products(_ items: [JSON]) -> [String] {
        Array(Set(items.compactMap { $0["product_id"]?.stringValue })).sorted()
    }

    static func orderTime(_ event: DomainEvent) -> Int64 {
        event.data["created_at"]?.stringValue.flatMap(Timestamp.parse).map(\.epochSeconds) ?? event.createdAt
    }

    /// The first day inside the window; set on first use, when the daily roll is scheduled too.
    static func salesFromDay(now: Int64, in db: any Transaction) throws -> Int64 {
        if let from = try RecommendationStore.state(in: db).salesFromDay { return from }
        let from = now / day - (windowDays - 1)
        try RecommendationStore.setSalesFromDay(from, in: db)
        try Scheduler.schedule(rollJob, key: "daily", at: (now / day + 1) * day, in: db)
        return from
    }

    /// The daily job: days that left the window leave the sums; then it schedules itself for the next midnight (UTC).
    public static func roll(now: Int64, in db: any Transaction) throws {
        let target = now / day - (windowDays - 1)
        var from = try salesFromDay(now: now, in: db)
        if target - from > 2 * windowDays {
            // Long idle (or a test clock jump): no row older than the window may stay.
            try RecommendationStore.restartWindow(at: target, in: db)
            from = target
        }
        while from < target {
            try RecommendationStore.rollOut(day: from, in: db)
            from += 1
        }
        try RecommendationStore.setSalesFromDay(from, in: db)
        try RecommendationStore.bumpVersion(in: db)
        try Scheduler.schedule(rollJob, key: "daily", at: (now / day + 1) * day, in: db)
    }
}
