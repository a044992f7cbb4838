import Core
import Foundation
import Storage

/// Products, stock and categories (API.md §3).
public final class CatalogService: Sendable {
    private let database: Database
    private let clock: any WallClock
    private let ids: IDGenerator
    private let searchCache: SearchCache
    /// Display names of category slugs, from `Content/categories.json`.
    public let categoryNames: [String: String]

    /// The search cache's default budget: 20,000 products, about 10 MiB.
    public static let defaultSearchCacheProducts = 20_000

    /// - Parameter searchCacheProducts: how many products cached search pages may hold together; 0 turns the
    ///   cache off.
    public init(
        database: Database, clock: any WallClock, ids: IDGenerator, categoryNames: [String: String],
        searchCacheProducts: Int = defaultSearchCacheProducts
    ) {
        searchCache = SearchCache(maxProducts: searchCacheProducts)
        self.database = database
        self.clock = clock
        self.ids = ids
        self.categoryNames = categoryNames
    }

    /// Reads `{"slug": "Display name", …}` from a file; a missing file gives no names (the slug is shown).
    ///
    /// - Throws: when the file exists but is not such an object.
    public static func categoryNames(from file: URL) throws -> [String: String] {
        guard FileManager.default.fileExists(atPath: file.path) else { return [:] }
        let json = try JSONParser.parse(Array(try Data(contentsOf: file)))
        guard case let .object(members) = json else { throw Failure.invalidState("\(file.lastPathComponent) is not an object") }
        var names: [String: String] = [:]
        for (slug, name) in members { if let name = name.stringValue { names[slug] = name } }
        return names
    }

    // MARK: - Reading

    /// A product by id; an inactive one only when `includeInactive` (merchants and admins).
    ///
    /// - Throws: `404 not_found` when it does not exist or is hidden from the caller.
    public func product(_ id: String, includeInactive: Bool) async throws -> Product {
        let product = try await database.lookup { db in try ProductStore.product(id, in: db) }
        guard let product, product.active || includeInactive else { throw CatalogError.productNotFound(id) }
        return product
    }

    /// One page of products, newest first, or by relevance when the filter has a query.
    ///
    /// - Throws: `400` for a cursor of another kind of list.
    public func products(_ filter: ProductFilter, page: PageRequest) async throws -> ProductListing {
        guard let text = filter.query, case let query = SearchQuery(text), !query.isEmpty else {
            return ProductListing(try await database.read { db in try CatalogStore.list(filter, page: page, in: db) })
        }
        let key = SearchCache.Key(query, filter: filter, page: page)
        let cache = searchCache
        if let cached = try await database.lookup({ db in try cache.listing(for: key, in: db) }) { return cached }
        return try await database.read { db in
            let versions = try SearchCache.Versions.current(in: db)
            let found = ProductListing(try CatalogStore.list(filter, page: page, in: db))
            cache.store(found, for: key, at: versions)
            return found
        }
    }

    /// Every category in use, with its display name and number of active products.
    public func categories() async throws -> [Category] {
        let names = categoryNames
        return try await database.read { db in try CatalogStore.categories(names: names, in: db) }
    }

    // MARK: - Writing

    /// Creates a product from a validated draft.
    ///
    /// - Throws: `409 sku_taken`.
    public func create(_ draft: ProductDraft) async throws -> Product {
        let product = makeProduct(draft, now: clock.now().epochSeconds)
        try await database.write { db in try CatalogStore.insert(product, in: db) }
        return product
    }

    /// Creates many products in one transaction (demo data, benchmarks).
    ///
    /// - Throws: `409 sku_taken`; nothing is created then.
    public func create(_ drafts: [ProductDraft]) async throws -> [Product] {
        let now = clock.now().epochSeconds
        let products = drafts.map { makeProduct($0, now: now) }
        try await database.write { db in
            for product in products { try CatalogStore.insert(product, in: db) }
        }
        return products
    }

    private func makeProduct(_ draft: ProductDraft, now: Int64) -> Product {
        Product(
            id: ids.next("prd"), sku: draft.sku, title: draft.title, description: draft.description,
            priceCents: draft.priceCents, stock: draft.stock, category: draft.category, imageURL: draft.imageURL,
            active: draft.active, createdAt: now, updatedAt: now
        )
    }

    /// Applies validated changes.
    ///
    /// - Throws: `404 not_found`.
    public func update(_ id: String, with changes: ProductChanges) async throws -> Product {
        let now = clock.now().epochSeconds
        return try await database.write { db in
            guard var product = try ProductStore.product(id, in: db) else { throw CatalogError.productNotFound(id) }
            if let title = changes.title { product.title = title }
            if let description = changes.description { product.description = description }
            if let price = changes.priceCents { product.priceCents = price }
            if let category = changes.category { product.category = category }
            if let imageURL = changes.imageURL { product.imageURL = imageURL }
            if let active = changes.active { product.active = active }
            product.updatedAt = now
            try CatalogStore.update(product, in: db)
            return product
        }
    }

    /// Adds `delta` (positive or negative) units to the stock.
    ///
    /// - Throws: `404 not_found`, `409 out_of_stock` when the stock would go below zero.
    public func adjustStock(_ id: String, delta: Int64, reason: String, by accountID: String) async throws -> Product {
        let now = clock.now().epochSeconds
        return try await database.write { db in
            guard try ProductStore.product(id, in: db) != nil else { throw CatalogError.productNotFound(id) }
            let product = try CatalogStore.adjustStock(id, delta: delta, now: now, in: db)
            try CatalogStore.recordAdjustment(of: id, delta: delta, reason: reason, by: accountID, now: now, in: db)
            return product
        }
    }
}
