import Core
import Storage

/// Recent search pages, checked against the catalog's change counters so that a cached answer is never stale.
///
/// Why: shoppers repeat the same few searches, and a search costs a hundred times a product lookup. Triggers
/// (migration 0205) count every change to `products` in `catalog_versions` inside the writing transaction:
/// `products` for any change, `search` only for one that can change which products a search finds or their
/// order. A page cached at `products` version P is served as it is while P is current. When only stock or price
/// moved (every checkout does that), the cached ids are still the right answer and just those rows are read again.
/// Anything else runs the search. Because the counters live in the database, writes from other processes (the
/// CLI, an SQL import) invalidate the cache too.
///
/// Bounded by the number of cached products; the oldest pages go first.
final class SearchCache: Sendable {
    struct Key: Hashable, Sendable {
        let words: [String]
        let category: String?
        let includeInactive: Bool
        let cursor: String?
        let limit: Int

        init(_ query: SearchQuery, filter: ProductFilter, page: PageRequest) {
            // FTS5 folds case itself, so "Käse" and "käse" are one search.
            words = query.words.map { $0.lowercased() }
            category = filter.category
            includeInactive = filter.includeInactive
            cursor = page.cursor
            limit = page.limit
        }
    }

    struct Versions: Equatable, Sendable {
        let products: Int64
        let search: Int64

        static func current(in db: any Transaction) throws -> Versions {
            try CatalogStore.versions(in: db)
        }
    }

    private struct Entry {
        var versions: Versions
        var listing: ProductListing
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        /// Keys in the order they were stored, for eviction; may hold keys already replaced or evicted.
        var order: [Key] = []
        var head = 0
        var products = 0
    }

    private let state = Mutex(State())
    private let maxProducts: Int

    /// - Parameter maxProducts: the most products all cached pages may hold together.
    init(maxProducts: Int) {
        self.maxProducts = maxProducts
    }

    /// The cached page for `key` if it is still the answer in `db`'s snapshot, refreshing its rows when only stock
    /// or prices changed; `nil` when the search must run. Bounded work: one row per cached product.
    func listing(for key: Key, in db: any Transaction) throws -> ProductListing? {
        let versions = try Versions.current(in: db)
        guard let entry = state.withLock({ $0.entries[key] }), entry.versions.search == versions.search else {
            return nil
        }
        if entry.versions.products == versions.products { return entry.listing }
        var fresh: [Product] = []
        fresh.reserveCapacity(entry.listing.page.items.count)
        for item in entry.listing.page.items {
            // Any change that could hide a product bumps `search`, so every id is still there.
            guard let product = try ProductStore.product(item.id, in: db) else { return nil }
            fresh.append(product)
        }
        let listing = ProductListing(Page(items: fresh, nextCursor: entry.listing.page.nextCursor))
        store(listing, for: key, at: versions)
        return listing
    }

    /// Remembers `listing`, the answer for `key` at `versions`.
    func store(_ listing: ProductListing, for key: Key, at versions: Versions) {
        let size = max(1, listing.page.items.count)
        guard size <= maxProducts else { return }   // also: a budget of 0 caches nothing
        state.withLock { state in
            if let old = state.entries.updateValue(Entry(versions: versions, listing: listing), forKey: key) {
                state.products -= max(1, old.listing.page.items.count)
            } else {
                state.order.append(key)
            }
            state.products += size
            while state.products > maxProducts, state.head < state.order.count {
                let oldest = state.order[state.head]
                state.head += 1
                if let evicted = state.entries.removeValue(forKey: oldest) {
                    state.products -= max(1, evicted.listing.page.items.count)
                }
            }
            // Compacts the order list once its dead prefix dominates, so it stays proportional to the entries.
            if state.head > 1_024, state.head * 2 > state.order.count {
                state.order.removeFirst(state.head)
                state.head = 0
            }
        }
    }

    /// Cached pages now, for tests.
    var count: Int { state.withLock { $0.entries.count } }
}

/// A page of products, and the one rendering of it that every request answered with these same rows shares: a
/// cached search page is then serialized once, not once per request.
public struct ProductListing: Sendable {
    public let page: Page<Product>
    private let rendering = Mutex<[UInt8]?>(nil)

    init(_ page: Page<Product>) { self.page = page }

    /// The bytes `render` makes of ``page``, made at most once per cached page (a race may make them twice).
    public func rendered(_ render: () -> [UInt8]) -> [UInt8] {
        if let bytes = rendering.withLock({ $0 }) { return bytes }
        let bytes = render()
        rendering.withLock { $0 = bytes }
        return bytes
    }
}
