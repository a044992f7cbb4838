import Core
import Foundation
import Testing

@Suite("Ids")
struct IdentifierTests {
    @Test("an id is the prefix, an underscore and 16 base-62 characters; every character turns up; no repeats")
    func format() {
        let alphabet = Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var seen = Set<Character>()
        var ids = Set<String>()
        for _ in 0..<2_000 {
            let id = IDGenerator.random.next("ord")
            #expect(id.hasPrefix("ord_") && id.count == 20, "\(id)")
            let tail = id.dropFirst(4)
            #expect(tail.allSatisfy(alphabet.contains), "\(id)")
            seen.formUnion(tail)
            ids.insert(id)
        }
        #expect(seen == alphabet, "32,000 draws reach all 62 characters")
        #expect(ids.count == 2_000)
    }

    @Test("appended records' ids start with their millisecond in base 62 and sort by it; other prefixes stay random")
    func timeOrdered() {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_796_000_000))
        let ids = IDGenerator.timeOrdered(clock: clock, appended: ["ord"])
        let first = (0..<500).map { _ in ids.next("ord") }
        // 1,796,000,000,000 ms = 31·62⁶ + 38·62⁵ + 25·62⁴ + 42·62³ + 60·62² + 7·62 + 30
        #expect(first.allSatisfy { $0.hasPrefix("ord_VcPgy7U") && $0.count == 20 }, "\(first[0])")
        #expect(Set(first).count == 500)
        clock.advance(by: 0.0015)
        let next = ids.next("ord")
        #expect(next.hasPrefix("ord_VcPgy7V"), "\(next)")
        #expect(first.allSatisfy { $0 < next })
        clock.advance(by: 3_600)
        let later = ids.next("ord")
        #expect(next < later, "\(next) \(later)")
        let accounts = (0..<200).map { _ in ids.next("acct").dropFirst(5).prefix(7) }
        #expect(Set(accounts).count > 150, "accounts' ids keep 16 random characters")
    }
}
