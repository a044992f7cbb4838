import Catalog
import Core
import Storage
import Trust

/// One recommended product and why (API.md §21: recommender systems state their main parameters, DSA Art. 27).
public struct Recommendation: Sendable, Equatable {
    public enum Reason: String, Sendable {
        case boughtTogether = "bought_together"
        case popularInCategory = "popular_in_category"
        case becauseYouBought = "because_you_bought"
        case popular
    }

    public var product: Product
    public var reason: Reason
    /// The cosine for co-purchases; units sold in the last 30 days for best sellers.
    public var score: Double
    /// For `because_you_bought`: the caller's purchase it relates to.
    public var becauseOf: String?
}

/// A product's recommendations; `shared` identifies an answer that is the same for every caller without purchases
/// to exclude, so the API may keep its rendering: the same value always means the same items.
public struct ProductRecommendations: Sendable, Equatable {
    public var items: [Recommendation]
    public var shared: UInt64?
}

/// `GET /v1/me/recommendations`: whether the list was personalised (the `personalization` consent) and the items.
public struct PersonalRecommendations: Sendable, Equatable {
    public var personalized: Bool
    public var items: [Recommendation]
}

/// Recommendations of API.md §21 from the co-purchase table, with best sellers after them. Never an inactive or
/// out-of-stock product, nor the product itself, nor one the caller bought in the last 30 days: these exclusions
/// are checked on every read (§24), whatever the caches hold.
public final class RecommendationService: Sendable {
    public static let limits = 1...20
    public static let defaultLimit = 8
    /// A caller's purchases in this many seconds are never recommended to them.
    public static let recentPurchaseSeconds: Int64 = 30 * 86_400
    /// Candidates kept per cached list: enough for the largest page after exclusions in all but odd cases, which
    /// compute the whole list instead.
    static let listLength = 60
    /// Personal recommendations start from the caller's latest purchases, at most this many.
    static let personalSources = 20

    private let database: Database
    private let clock: any WallClock
    private let cache = RecommendationCache()

    public init(database: Database, clock: any WallClock) {
        self.database = database
        self.clock = clock
    }

    /// The consumer of the event log that keeps the tables current.
    public var consumer: EventConsumer { RecommendationIndex.consumer }

    /// Registers the daily move of the best sellers' window.
    public func register(on scheduler: Scheduler) {
        scheduler.handle(RecommendationIndex.rollJob) { _, now, db in try RecommendationIndex.roll(now: now, in: db) }
    }

    /// Rebuilds the tables from every order: read on one snapshot without blocking writers, then installed in one
    /// write transaction; events after the snapshot are applied on top by the consumer.
    public func rebuild() async throws -> RecommendationRebuild {
        let now = clock.now().epochSeconds
        let stopwatch = ContinuousClock()
        let started = stopwatch.now
        let snapshot = try await database.read { db in try RecommendationIndex.snapshot(now: now, in: db) }
        let read = stopwatch.now
        try await database.write { db in try RecommendationIndex.install(snapshot, now: now, in: db) }
        var summary = snapshot.summary
        summary.readMilliseconds = Self.milliseconds(read - started)
        summary.writeMilliseconds = Self.milliseconds(stopwatch.now - read)
        return summary
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000 + duration.components.attoseconds / 1_000_000_000_000_000
    }

    // MARK: - A product's recommendations

    /// - Throws: `404` for a product that does not exist or is inactive.
    public func requireProduct(_ id: String) async throws {
        let product = try await database.lookup { db in try ProductStore.product(id, in: db) }
        guard let product, product.active else { throw CatalogError.productNotFound(id) }
    }

    /// Bought together, then the category's best sellers, `limit` at most.
    /// - Parameter caller: the signed-in caller, whose purchases of the last 30 days are left out.
    /// - Throws: `404` for a product that does not exist or is inactive.
    public func forProduct(_ id: String, limit: Int, caller: String?) async throws -> ProductRecommendations {
        let now = clock.now().epochSeconds
        if caller == nil, let answer = try await database.lookup({ [self] db in
            try resolve(id, limit: limit, excluded: [], compute: false, in: db)
        }) {
            return answer
        }
        return try await database.read { [self] db in
            let excluded = try caller.map {
                try RecommendationStore.productsBought(by: $0, since: now - Self.recentPurchaseSeconds, in: db)
            } ?? []
            return try resolve(id, limit: limit, excluded: excluded, compute: true, in: db) ?? .init(items: [], shared: nil)
        }
    }

    /// - Parameter compute: `false` answers only from the caches (nil when something must be computed).
    func resolve(_ id: String, limit: Int, excluded: Set<String>, compute: Bool, in db: any Transaction) throws -> ProductRecommendations? {
        let versions = try RecommendationStore.versions(in: db)
        let answerKey = "\(id)#\(limit)"
        if excluded.isEmpty,
           let answer = cache.answer(answerKey, version: versions.recommendations, productsVersion: versions.products)
        {
            return ProductRecommendations(items: answer.items, shared: answer.serial)
        }
        guard let anchor = try ProductStore.product(id, in: db), anchor.active else { throw CatalogError.productNotFound(id) }
        var seen: Set<String> = [id]
        var items: [Recommendation] = []
        guard let together = try coPurchaseList(id, version: versions.recommendations, compute: compute, in: db) else { return nil }
        try collect(together.items, reason: .boughtTogether, limit: limit, excluded: excluded, seen: &seen, into: &items, in: db)
        if items.count < limit, !together.complete {
            // The exclusions took more candidates than the list could spare: the whole list, this once.
            guard compute else { return nil }
            let all = try Self.rankedCoPurchases(id, limit: .max, in: db)
            try collect(all.items, reason: .boughtTogether, limit: limit, excluded: excluded, seen: &seen, into: &items, in: db)
        }
        var lists: [(key: RecommendationCache.Key, serial: UInt64)] = [(.coPurchases(id), together.serial)]
        if items.count < limit {
            guard let best = try bestSellerList(category: anchor.category, version: versions.recommendations, compute: compute, in: db)
            else { return nil }
            lists.append((.bestSellers(category: anchor.category), best.serial))
            try collect(best.items, reason: .popularInCategory, limit: limit, excluded: excluded, seen: &seen, into: &items, in: db)
        }
        guard excluded.isEmpty else { return ProductRecommendations(items: items, shared: nil) }
        let serial = cache.storeAnswer(answerKey, .init(lists: lists, productsVersion: versions.products, items: items))
        return ProductRecommendations(items: items, shared: serial)
    }

    // MARK: - The caller's recommendations

    /// With the `personalization` consent: products bought together with the caller's purchases (reason
    /// `because_you_bought`), then best sellers; without it best sellers only (reason `popular`).
    public func forAccount(_ accountID: String, limit: Int) async throws -> PersonalRecommendations {
        let now = clock.now().epochSeconds
        return try await database.read { [self] db in
            let personalized = try InboxService.isGranted(.personalization, for: accountID, in: db)
            let excluded = try RecommendationStore.productsBought(by: accountID, since: now - Self.recentPurchaseSeconds, in: db)
            let version = try RecommendationStore.versions(in: db).recommendations
            var seen: Set<String> = []
            var items: [Recommendation] = []
            if personalized {
                var best: [String: (score: Double, source: String)] = [:]
                for source in try RecommendationStore.purchases(of: accountID, limit: Self.personalSources, in: db) {
                    let list = try coPurchaseList(source, version: version, compute: true, in: db)?.items ?? []
                    for candidate in list {
                        if let known = best[candidate.productID],
                           known.score > candidate.score || (known.score == candidate.score && known.source <= source) { continue }
                        best[candidate.productID] = (candidate.score, source)
                    }
                }
                let ranked = best.sorted { $0.value.score != $1.value.score ? $0.value.score > $1.value.score : $0.key < $1.key }
                for (productID, found) in ranked where items.count < limit {
                    guard let product = try acceptable(productID, excluded: excluded, seen: &seen, in: db) else { continue }
                    items.append(Recommendation(product: product, reason: .becauseYouBought, score: found.score, becauseOf: found.source))
                }
            }
            if items.count < limit, let popular = try bestSellerList(category: nil, version: version, compute: true, in: db) {
                try collect(popular.items, reason: .popular, limit: limit, excluded: excluded, seen: &seen, into: &items, in: db)
            }
            return PersonalRecommendations(personalized: personalized, items: items)
        }
    }

    // MARK: - Lists

    private func coPurchaseList(_ id: String, version: Int64, compute: Bool, in db: any Transaction) throws -> RecommendationCache.Ranked? {
        if let cached = cache.list(.coPurchases(id), version: version) { return cached }
        guard compute else { return nil }
        let ranked = try Self.rankedCoPurchases(id, limit: Self.listLength, in: db)
        return cache.store(.coPurchases(id), version: version, items: ranked.items, complete: ranked.complete)
    }

    static func rankedCoPurchases(_ id: String, limit: Int, in db: any Transaction) throws -> (items: [RecommendationCache.Candidate], complete: Bool) {
        let found = try RecommendationStore.coPurchases(of: id, limit: limit, in: db)
        let items = found.items.map {
            RecommendationCache.Candidate(
                productID: $0.productID,
                score: Cosine.score(together: $0.together, anchorOrders: found.anchorOrders, otherOrders: $0.orders)
            )
        }
        return (items, found.complete)
    }

    private func bestSellerList(category: String?, version: Int64, compute: Bool, in db: any Transaction) throws -> RecommendationCache.Ranked? {
        if let cached = cache.list(.bestSellers(category: category), version: version) { return cached }
        guard compute else { return nil }
        let rows = try RecommendationStore.bestSellers(category: category, limit: Self.listLength, in: db)
        return cache.store(
            .bestSellers(category: category), version: version,
            items: rows.map { .init(productID: $0.product, score: Double($0.units)) }, complete: rows.count < Self.listLength
        )
    }

    private func collect(
        _ candidates: [RecommendationCache.Candidate], reason: Recommendation.Reason, limit: Int, excluded: Set<String>,
        seen: inout Set<String>, into items: inout [Recommendation], in db: any Transaction
    ) throws {
        for candidate in candidates where items.count < limit {
            guard let product = try acceptable(candidate.productID, excluded: excluded, seen: &seen, in: db) else { continue }
            items.append(Recommendation(product: product, reason: reason, score: candidate.score, becauseOf: nil))
        }
    }

    /// The product as it is now, if it may be shown: active, in stock, not shown already, not excluded.
    private func acceptable(_ id: String, excluded: Set<String>, seen: inout Set<String>, in db: any Transaction) throws -> Product? {
        guard !seen.contains(id), !excluded.contains(id) else { return nil }
        guard let product = try ProductStore.product(id, in: db), product.active, product.stock > 0 else { return nil }
        seen.insert(id)
        return product
    }
}
