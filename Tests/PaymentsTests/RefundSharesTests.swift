import Payments
import Testing

/// The pro-rata discount share of refunded units (largest remainder), a pure rule: however units are refunded,
/// their shares add up to the order's discount exactly.
@Suite("Refund shares")
struct RefundSharesTests {
    @Test("three units with an uneven discount: shares 34, 33, 33 in unit order, summing to 100")
    func uneven() {
        let shares = RefundShares(lines: [(unitPriceCents: 1000, quantity: 3)], discountCents: 100)
        #expect(shares.discount(line: 0, from: 0, count: 1) == 34)
        #expect(shares.discount(line: 0, from: 1, count: 1) == 33)
        #expect(shares.discount(line: 0, from: 2, count: 1) == 33)
        #expect(shares.discount(line: 0, from: 0, count: 3) == 100)
    }

    @Test("any order of partial refunds adds up to the discount", arguments: [(Int64(1), Int64(7)), (999, 1), (12_345, 5), (0, 3)])
    func sums(discount: Int64, quantity: Int64) {
        let lines: [(unitPriceCents: Int64, quantity: Int64)] = [(1999, quantity), (250, 2), (1, 1)]
        let subtotal = lines.reduce(0) { $0 + $1.unitPriceCents * $1.quantity }
        let shares = RefundShares(lines: lines, discountCents: min(discount, subtotal))
        var total: Int64 = 0
        for (index, line) in lines.enumerated() {
            var from: Int64 = 0
            while from < line.quantity {  // one unit at a time, as separate refunds would
                total += shares.discount(line: index, from: from, count: 1)
                from += 1
            }
        }
        #expect(total == min(discount, subtotal))
    }

    @Test("no discount, no share; a huge order does not overflow")
    func edges() {
        #expect(RefundShares(lines: [(unitPriceCents: 500, quantity: 2)], discountCents: 0).discount(line: 0, from: 0, count: 2) == 0)
        let big = RefundShares(lines: [(unitPriceCents: 4_000_000_000, quantity: 99)], discountCents: 300_000_000_000)
        #expect(big.discount(line: 0, from: 0, count: 99) == 300_000_000_000)
    }
}
