/// How an order's discount is shared among its units, so that refunds add up exactly to what was paid.
///
/// Each unit carries `discount × unit price / subtotal` of the discount. The floors of those shares leave a few
/// cents over, which go one each to the units with the largest remainders (the largest-remainder method; ties to
/// the earlier line, then the earlier unit). Every unit's paid share is its price minus its discount share, so the
/// paid shares of all units sum to the order's total, and refunding every unit, in any steps, returns exactly it.
public struct RefundShares: Sendable, Equatable {
    /// Per line: the floor of each unit's discount share, and how many of its first units get one cent more.
    public let baseDiscount: [Int64]
    public let extraUnits: [Int64]

    /// - Parameters:
    ///   - lines: unit price and quantity of each line, in order.
    ///   - discountCents: the order's discount, at most its subtotal.
    public init(lines: [(unitPriceCents: Int64, quantity: Int64)], discountCents: Int64) {
        let subtotal = lines.reduce(Int64(0)) { $0 + $1.unitPriceCents * $1.quantity }
        guard subtotal > 0, discountCents > 0 else {
            baseDiscount = lines.map { _ in 0 }
            extraUnits = lines.map { _ in 0 }
            return
        }
        var base: [Int64] = []
        var remainders: [Int64] = []
        for line in lines {
            // Full-width arithmetic: discount × price may exceed Int64 for large orders.
            let product = discountCents.multipliedFullWidth(by: line.unitPriceCents)
            let (quotient, remainder) = subtotal.dividingFullWidth(product)
            base.append(quotient)
            remainders.append(remainder)
        }
        var left = discountCents - zip(base, lines).reduce(0) { $0 + $1.0 * $1.1.quantity }
        var extra = lines.map { _ in Int64(0) }
        let order = lines.indices.sorted { remainders[$0] != remainders[$1] ? remainders[$0] > remainders[$1] : $0 < $1 }
        for index in order where left > 0 {
            let given = min(left, lines[index].quantity)
            extra[index] = given
            left -= given
        }
        baseDiscount = base
        extraUnits = extra
    }

    /// The discount share of units `from ..< from + count` of a line (units are refunded in order).
    public func discount(line: Int, from: Int64, count: Int64) -> Int64 {
        let extras = max(0, min(from + count, extraUnits[line]) - from)
        return baseDiscount[line] * count + extras
    }
}
