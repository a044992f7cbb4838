import Core
import Foundation
import Insights
import Testing

/// The pure rules of API.md §21 and §24: the hash, the buckets, the Wilson interval, the chi-square p-value and the
/// cosine order, each against values computed independently.
@Suite("Insights: pure rules")
struct StatisticsTests {
    @Test("FNV-1a 32-bit matches the published test vectors")
    func fnv() {
        // From the FNV reference (draft-eastlake-fnv, test vectors for FNV-1a 32).
        #expect(FNV1a.hash32("") == 0x811C_9DC5)
        #expect(FNV1a.hash32("a") == 0xE40C_292C)
        #expect(FNV1a.hash32("foobar") == 0xBF9C_F968)
    }

    @Test("bucket ranges are ⌊10000 × weight / total⌋ wide in order, the last taking the rest")
    func ranges() {
        #expect(ExperimentAssignment.ranges(weights: [1, 1]) == [0..<5_000, 5_000..<10_000])
        #expect(ExperimentAssignment.ranges(weights: [1, 1, 1]) == [0..<3_333, 3_333..<6_666, 6_666..<10_000])
        #expect(ExperimentAssignment.ranges(weights: [1, 2, 7]) == [0..<1_000, 1_000..<3_000, 3_000..<10_000])
    }

    @Test("the salt's commitment is the SHA-256 hex of its 32 characters")
    func commitment() {
        let salt = ExperimentAssignment.newSalt()
        #expect(salt.count == 32 && salt.allSatisfy { "0123456789abcdef".contains($0) })
        // SHA-256("abc"), FIPS 180-4 example.
        #expect(ExperimentAssignment.commitment(of: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("Wilson 95% interval: textbook values, none for no trials")
    func wilson() throws {
        let interval = try #require(ExperimentStatistics.wilson(successes: 10, trials: 100))
        // p = 0.1, n = 100, z = 1.96: (0.0552, 0.1744) to 4 decimals.
        #expect(ExperimentStatistics.round4(interval.low) == 0.0552)
        #expect(ExperimentStatistics.round4(interval.high) == 0.1744)
        let none = try #require(ExperimentStatistics.wilson(successes: 0, trials: 10))
        #expect(none.low == 0 && ExperimentStatistics.round4(none.high) == 0.2775)
        #expect(ExperimentStatistics.wilson(successes: 0, trials: 0) == nil)
    }

    @Test("chi-square survival: the 5% critical values, df 1 against erfc, and nothing observed is p = 1")
    func chiSquare() {
        #expect(abs(ExperimentStatistics.chiSquareSurvival(3.841458820694124, degreesOfFreedom: 1) - 0.05) < 1e-9)
        #expect(abs(ExperimentStatistics.chiSquareSurvival(5.991464547107979, degreesOfFreedom: 2) - 0.05) < 1e-9)
        #expect(abs(ExperimentStatistics.chiSquareSurvival(9.487729036781154, degreesOfFreedom: 4) - 0.05) < 1e-9)
        for x in [0.01, 0.5, 2.0, 10.0, 30.0] {
            #expect(abs(ExperimentStatistics.chiSquareSurvival(x, degreesOfFreedom: 1) - erfc((x / 2).squareRoot())) < 1e-12)
        }
        // df 2 has the closed form e^(−x/2).
        #expect(abs(ExperimentStatistics.chiSquareSurvival(7, degreesOfFreedom: 2) - exp(-3.5)) < 1e-12)
        #expect(ExperimentStatistics.srmPValue(observed: [0, 0], weights: [1, 1]) == 1)
        #expect(ExperimentStatistics.srmPValue(observed: [50, 50], weights: [1, 1]) == 1)
        // 60 vs 40 against 1:1 → χ² = 4.
        #expect(abs(ExperimentStatistics.srmPValue(observed: [60, 40], weights: [1, 1]) - erfc(2.0.squareRoot())) < 1e-12)
    }

    @Test("rates round half away from zero to 4 decimals; a rate over nothing is 0")
    func rounding() {
        #expect(ExperimentStatistics.rate(1, 3) == 0.3333)
        #expect(ExperimentStatistics.rate(2, 3) == 0.6667)
        #expect(ExperimentStatistics.round4(0.00005) == 0.0001)
        #expect(ExperimentStatistics.rate(5, 0) == 0)
    }

    @Test("cosine order: exact in integers, ties by product id, and the early-stop bound holds")
    func cosine() {
        // Anchor in 4 orders. a: 1 of 1 → 1/√4 = 0.5; b: 2 of 4 → 2/√16 = 0.5 (a tie); c: 2 of 2 → 0.7071.
        let a = CoPurchase(productID: "prd_a", together: 1, orders: 1)
        let b = CoPurchase(productID: "prd_b", together: 2, orders: 4)
        let c = CoPurchase(productID: "prd_c", together: 2, orders: 2)
        #expect(Cosine.top([b, a, c], limit: 3).map(\.productID) == ["prd_c", "prd_a", "prd_b"])
        #expect(Cosine.score(together: 2, anchorOrders: 4, otherOrders: 2) == 2 / 8.0.squareRoot())
        for x in [a, b, c] {
            #expect(Cosine.score(together: x.together, anchorOrders: 4, otherOrders: x.orders) <= Cosine.bound(together: x.together, anchorOrders: 4))
        }
    }

    @Test("the in-memory counter counts each order's distinct products once, pairs in both directions")
    func counter() {
        var counter = CoPurchaseCounter()
        counter.add(order: ["p2", "p1", "p2"])
        counter.add(order: ["p1", "p3"])
        counter.add(order: ["p3"])
        let (products, pairs) = counter.sorted()
        #expect(products.map(\.id) == ["p1", "p2", "p3"] && products.map(\.orders) == [2, 1, 2])
        let named = pairs.map { "\(products[Int($0.product)].id)-\(products[Int($0.other)].id):\($0.together)" }
        #expect(named == ["p1-p2:1", "p1-p3:1", "p2-p1:1", "p3-p1:1"])
    }
}
