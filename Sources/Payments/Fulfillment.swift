/// Fulfillment of an order over the units not refunded (API.md §15, §24), a pure rule.
///
/// A refund takes a line's units in this order: unshipped ones first, then shipped but undelivered, then delivered.
/// So shipping is limited to units neither shipped nor refunded, and a return of delivered goods leaves the rest's
/// status as it was.
public struct Fulfillment: Sendable, Equatable {
    public enum Status: String, Sendable {
        case unfulfilled, partiallyShipped = "partially_shipped", shipped, delivered
    }

    /// Units of one order line that arrived with a shipment delivered at `at`.
    public struct Delivery: Sendable, Equatable {
        public var line: Int
        public var at: Int64

        public init(line: Int, at: Int64) {
            self.line = line
            self.at = at
        }
    }

    public let status: Status
    /// The latest delivery among the units not refunded; nil while any of them is undelivered or none is left.
    public let deliveredAt: Int64?

    /// Units of a line that may still be shipped: neither shipped nor refunded.
    public static func shippable(_ item: Order.Item) -> Int64 {
        max(0, item.quantity - item.shippedQuantity - item.refundedQuantity)
    }

    /// - Returns: net units of a line: (unshipped, shipped but undelivered, delivered), refunds taken as above.
    public static func netUnits(_ item: Order.Item) -> (unshipped: Int64, inTransit: Int64, delivered: Int64) {
        var refunded = item.refundedQuantity
        let unshipped = item.quantity - item.shippedQuantity
        let fromUnshipped = min(refunded, unshipped)
        refunded -= fromUnshipped
        let inTransit = item.shippedQuantity - item.deliveredQuantity
        let fromTransit = min(refunded, inTransit)
        refunded -= fromTransit
        return (unshipped - fromUnshipped, inTransit - fromTransit, max(0, item.deliveredQuantity - refunded))
    }

    public init(items: [Order.Item], deliveries: [Delivery]) {
        let units = items.map(Self.netUnits)
        let unshipped = units.reduce(0) { $0 + $1.unshipped }
        let inTransit = units.reduce(0) { $0 + $1.inTransit }
        let delivered = units.reduce(0) { $0 + $1.delivered }
        let net = unshipped + inTransit + delivered
        if net > 0, unshipped == 0, inTransit == 0 {
            status = .delivered
            let lines = Set(zip(items, units).filter { $0.1.delivered > 0 }.map { $0.0.line })
            deliveredAt = deliveries.filter { lines.contains($0.line) }.map(\.at).max()
        } else {
            status = net > 0 && unshipped == 0 ? .shipped : (inTransit + delivered > 0 ? .partiallyShipped : .unfulfilled)
            deliveredAt = nil
        }
    }
}
