import Core
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
}
