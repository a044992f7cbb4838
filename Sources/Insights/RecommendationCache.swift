import Core
import Foundation

/// Ranked candidate lists in memory, so a product page's recommendations cost a version read and a few point reads.
///
/// Why: the cosine needs every neighbour of a product, which is too much work for each request at the rates the
/// product page sees. A list is computed from the tables at one `version` (migration 1201) and used while that is
/// still the version, or for one second after it was made: under a stream of orders a list is recomputed at most
/// once a second, well inside the 60 seconds in which new orders must count (API.md §21). What the exclusions
/// depend on (active, stock, the caller's purchases) is never cached: it is checked on every read.
final class RecommendationCache: Sendable {
    enum Key: Hashable, Sendable {
        case coPurchases(String)
        case bestSellers(category: String?)
    }

    struct Candidate: Sendable, Equatable {
        var productID: String
        var score: Double
    }

    struct Ranked: Sendable {
        /// Unique per computed list, so derived answers can tell which list they came from.
        var serial: UInt64
        var version: Int64
        var madeAt: UInt64
        var items: [Candidate]
        /// Whether the list holds every candidate there was (nothing was cut at the list's length).
        var complete: Bool
    }

    /// A finished answer for a caller without exclusions of their own, valid while its lists and the products are.
    struct Answer: Sendable {
        /// Unique per answer: the API keeps the answer's rendering under it.
        var serial: UInt64 = 0
        /// The lists it was made from, by key and serial.
        var lists: [(key: Key, serial: UInt64)]
        var productsVersion: Int64
        var items: [Recommendation]
    }

    static let freshnessNanoseconds: UInt64 = 1_000_000_000
    static let maxEntries = 50_000

    private struct State {
        var lists: [Key: Ranked] = [:]
        var answers: [String: Answer] = [:]
        var serial: UInt64 = 0
    }

    private let state = Mutex(State())

    static func monotonicNow() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// The list for `key` if it was made at `version` or less than a second ago.
    func list(_ key: Key, version: Int64) -> Ranked? {
        let now = Self.monotonicNow()
        return state.withLock { state in
            guard let ranked = state.lists[key] else { return nil }
            return ranked.version == version || now &- ranked.madeAt < Self.freshnessNanoseconds ? ranked : nil
        }
    }

    @discardableResult
    func store(_ key: Key, version: Int64, items: [Candidate], complete: Bool) -> Ranked {
        let now = Self.monotonicNow()
        return state.withLock { state in
            if state.lists.count >= Self.maxEntries { state.lists.removeAll(keepingCapacity: true) }
            state.serial += 1
            let ranked = Ranked(serial: state.serial, version: version, madeAt: now, items: items, complete: complete)
            state.lists[key] = ranked
            return ranked
        }
    }

    /// The answer for `key` if the products did not change and each of its lists is still the current one.
    func answer(_ key: String, version: Int64, productsVersion: Int64) -> Answer? {
        guard let answer = state.withLock({ $0.answers[key] }), answer.productsVersion == productsVersion else { return nil }
        for list in answer.lists where self.list(list.key, version: version)?.serial != list.serial { return nil }
        return answer
    }

    /// Stores an answer under a new serial. - Returns: the serial.
    func storeAnswer(_ key: String, _ answer: Answer) -> UInt64 {
        state.withLock { state in
            if state.answers.count >= Self.maxEntries { state.answers.removeAll(keepingCapacity: true) }
            state.serial += 1
            var answer = answer
            answer.serial = state.serial
            state.answers[key] = answer
            return state.serial
        }
    }
}
