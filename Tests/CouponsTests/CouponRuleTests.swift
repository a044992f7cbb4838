import Coupons
import Testing

/// Pure coupon rules: the discount of API.md §12 and code patterns.
@Suite("Coupon rules")
struct CouponRuleTests {
    @Test("percent floors, caps, and never exceeds the subtotal; fixed is at most the subtotal")
    func discount() {
        #expect(CouponEngine.discount(.percent(15), maxDiscountCents: nil, subtotalCents: 1999) == 299)
        #expect(CouponEngine.discount(.percent(15), maxDiscountCents: 200, subtotalCents: 1999) == 200)
        #expect(CouponEngine.discount(.percent(100), maxDiscountCents: nil, subtotalCents: 1) == 1)
        #expect(CouponEngine.discount(.fixed(500), maxDiscountCents: nil, subtotalCents: 300) == 300)
        #expect(CouponEngine.discount(.fixed(500), maxDiscountCents: nil, subtotalCents: 0) == 0)
    }

    @Test("code patterns: # is a digit 2-9, ? a letter without I, L, O; bad patterns refused; generated codes fit")
    func patterns() throws {
        let pattern = try CodePattern("AU-##-??")
        #expect(pattern.space == 8 * 8 * 23 * 23)
        var generator = CodePattern.Generator(pattern)
        for _ in 0..<200 {
            let code = generator.next()
            #expect(code.count == 8 && code.hasPrefix("AU-"))
            #expect(code.dropFirst(3).prefix(2).allSatisfy { "23456789".contains($0) })
            #expect(code.suffix(2).allSatisfy { "ABCDEFGHJKMNPQRSTUVWXYZ".contains($0) })
        }
        #expect(throws: (any Error).self) { try CodePattern("") }
        #expect(throws: (any Error).self) { try CodePattern(String(repeating: "#", count: 65)) }
        #expect(try CodePattern("PLAIN-CODE").space == 1)
    }
}
