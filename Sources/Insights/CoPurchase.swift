/// A product bought together with an anchor product, with the counts its cosine comes from (API.md §24).
public struct CoPurchase: Sendable, Equatable {
    public var productID: String
    /// Orders (not fully refunded) holding both products.
    public var together: Int64
    /// Orders holding this product.
    public var orders: Int64

    public init(productID: String, together: Int64, orders: Int64) {
        self.productID = productID
        self.together = together
        self.orders = orders
    }
}

/// The item-to-item cosine over orders (Linden, Smith and York 2003), pure.
///
/// score = together ÷ √(orders of the anchor × orders of the other). Within one anchor the order is decided exactly
/// in integers (t₁² · n₂ against t₂² · n₁), so equal scores tie by product id however the square roots round.
public enum Cosine {
    public static func score(together: Int64, anchorOrders: Int64, otherOrders: Int64) -> Double {
        guard anchorOrders > 0, otherOrders > 0 else { return 0 }
        return Double(together) / (Double(anchorOrders) * Double(otherOrders)).squareRoot()
    }

    /// Whether `a` comes before `b` in one anchor's list: higher score first, ties by product id.
    public static func precedes(_ a: CoPurchase, _ b: CoPurchase) -> Bool {
        let left = a.together.multipliedReportingOverflow(by: a.together)
        let right = b.together.multipliedReportingOverflow(by: b.together)
        let lhs = left.partialValue.multipliedReportingOverflow(by: b.orders)
        let rhs = right.partialValue.multipliedReportingOverflow(by: a.orders)
        if !left.overflow, !right.overflow, !lhs.overflow, !rhs.overflow {
            if lhs.partialValue != rhs.partialValue { return lhs.partialValue > rhs.partialValue }
        } else {
            let x = Double(a.together) * Double(a.together) * Double(b.orders)
            let y = Double(b.together) * Double(b.together) * Double(a.orders)
            if x != y { return x > y }
        }
        return a.productID < b.productID
    }

    /// The highest score any product bought together at most `together` times can reach: since its own orders are
    /// at least `together`, score ≤ together ÷ √(anchor × together) = √(together ÷ anchor). Lets a scan in order of
    /// `together` stop early and stay exact.
    public static func bound(together: Int64, anchorOrders: Int64) -> Double {
        anchorOrders > 0 ? (Double(together) / Double(anchorOrders)).squareRoot() : 0
    }

    /// The best `limit` of `candidates`, in list order.
    public static func top(_ candidates: [CoPurchase], limit: Int) -> [CoPurchase] {
        Array(candidates.sorted(by: precedes).prefix(limit))
    }
}

/// Counts co-purchases of many orders in memory, for a full rebuild: products are numbered, and each unordered pair
/// is one 64-bit key, so a million order lines fit in a few tens of MiB.
public struct CoPurchaseCounter: Sendable {
    public private(set) var productIDs: [String] = []
    private var index: [String: Int32] = [:]
    public private(set) var orders: [Int64] = []
    public private(set) var pairs: [UInt64: Int64] = [:]

    public init() {}

    /// Adds one order's distinct products.
    public mutating func add(order products: [String]) {
        var numbers: [Int32] = []
        numbers.reserveCapacity(products.count)
        for product in products {
            let number: Int32
            if let known = index[product] {
                number = known
            } else {
                number = Int32(productIDs.count)
                index[product] = number
                productIDs.append(product)
                orders.append(0)
            }
            numbers.append(number)
        }
        numbers.sort()
        var distinct: [Int32] = []
        for number in numbers where distinct.last != number { distinct.append(number) }
        for number in distinct { orders[Int(number)] += 1 }
        for i in distinct.indices {
            for j in distinct.indices where j > i {
                pairs[UInt64(UInt32(distinct[i])) << 32 | UInt64(UInt32(distinct[j])), default: 0] += 1
            }
        }
    }

    /// Products sorted by id with their order counts, and every pair in both directions as `(product, other,
    /// together)` numbered into that list and sorted by it: the primary-key order, so inserting them appends.
    public func sorted() -> (products: [(id: String, orders: Int64)], pairs: [(product: Int32, other: Int32, together: Int64)]) {
        let order = productIDs.indices.sorted { productIDs[$0] < productIDs[$1] }
        var rank = [Int32](repeating: 0, count: productIDs.count)
        for (position, number) in order.enumerated() { rank[number] = Int32(position) }
        var keyed: [(UInt64, Int64)] = []
        keyed.reserveCapacity(pairs.count * 2)
        for (key, together) in pairs {
            let a = UInt64(UInt32(rank[Int(key >> 32)]))
            let b = UInt64(UInt32(rank[Int(key & 0xFFFF_FFFF)]))
            keyed.append((a << 32 | b, together))
            keyed.append((b << 32 | a, together))
        }
        keyed.sort { $0.0 < $1.0 }
        return (
            order.map { (productIDs[$0], orders[$0]) },
            keyed.map { (Int32(truncatingIfNeeded: $0.0 >> 32), Int32(truncatingIfNeeded: $0.0 & 0xFFFF_FFFF), $0.1) }
        )
    }
}
