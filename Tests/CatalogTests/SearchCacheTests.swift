@testable import Catalog
import Core
import Foundation
import Storage
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The search cache never answers with a stale page: every product change counted by migration 0205's triggers
/// either refreshes the cached rows or runs the search again.
@Suite("Search cache")
struct SearchCacheTests {
    @Test("stock and price moves show at once in a repeated search; new products appear; SQL from outside counts")
    func freshness() async throws {
        let c = try await CatalogFixture.start()
        do {
            let first = try await c.product("Bergkäse mild", price: 1200, stock: 5)
            func search() async throws -> [JSON] { try await c.all("/v1/products?q=bergk") }
            #expect(try await search().map { $0["stock"]?.intValue } == [5])

            let adjusted = try await c.server.send(
                "POST", "/v1/products/\(first.id)/stock-adjustments", json: ["delta": -3, "reason": "broken"],
                token: c.merchant
            )
            #expect(adjusted.status == 200)
            #expect(try await search().map { $0["stock"]?.intValue } == [2], "a stock move is seen by the next search")

            _ = try await c.server.send("PATCH", "/v1/products/\(first.id)", json: ["price_cents": 990], token: c.merchant)
            #expect(try await search().map { $0["price_cents"]?.intValue } == [990])

            let second = try await c.product("Bergkäse würzig")
            #expect(Set(try await search().map(\.id)) == [second.id, first.id], "a new product is found at once")

            // A write that bypasses the services (as the CLI or an SQL import would) is seen too.
            try await c.server.database.write { db in
                try db.run("UPDATE products SET title = 'Alpkäse', stock = 7 WHERE id = ?", second.id)
            }
            #expect(try await search().map(\.id) == [first.id])
            #expect(try await c.all("/v1/products?q=alpk").map { $0["stock"]?.intValue } == [7])
        } catch { Issue.record(error) }
        await c.stop()
    }

    @Test("parallel searches during parallel stock moves: afterwards every search shows the stock by id")
    func parallelMoves() async throws {
        let c = try await CatalogFixture.startServer()
        do {
            var created: [String] = []
            for index in 0..<6 { created.append(try await c.product("Honig Sorte \(index)", stock: 1_000).id) }
            let ids = created
            let client = c.server.client
            let merchant = c.merchant
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for round in 0..<120 {
                    group.addTask {
                        if round % 2 == 0 {
                            return try await client.send("GET", "/v1/products?q=honig&limit=3").status
                        }
                        return try await client.send(
                            "POST", "/v1/products/\(ids[round % ids.count])/stock-adjustments",
                            json: ["delta": -1, "reason": "count"], token: merchant
                        ).status
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == 200 }, "\(Set(statuses))")
            let searched = try await c.all("/v1/products?q=honig&limit=3")
            #expect(Set(searched.map(\.id)) == Set(ids))
            for product in searched {
                let direct = try await c.server.send("GET", "/v1/products/\(product.id)").json
                #expect(product["stock"]?.intValue == direct["stock"]?.intValue, "\(product.id)")
            }
            let moved = searched.reduce(0) { $0 + (1_000 - ($1["stock"]?.intValue ?? 0)) }
            #expect(moved == 60, "every adjustment counted exactly once")
        } catch { Issue.record(error) }
        await c.stop()
    }

    @Test("two basar processes on one file: writes through the one without a cache refresh the other's searches")
    func otherProcess() async throws {
        let path = TestServer.temporaryDatabasePath()
        defer { TestServer.removeDatabase(at: path) }
        let cached = try await BasarProcess(databasePath: path)
        var uncached: BasarProcess?
        do {
            let email = "cache-\(UUID().uuidString.prefix(8).lowercased())@example.com"
            let (token, _) = try await cached.client.signUp(email: email)
            try await BasarBinary.grant(email: email, role: "merchant", databasePath: path)
            let created = try await cached.client.send("POST", "/v1/products", json: [
                "sku": "CACHE-1", "title": "Bergkäse mild", "price_cents": 1200, "stock": 5, "category": "kaese",
            ], token: token)
            let id = try #require(created.json["id"]?.stringValue)
            func search(_ q: String) async throws -> [JSON] {
                try await cached.client.send("GET", "/v1/products?q=\(q)").json["data"]?.arrayValue ?? []
            }
            #expect(try await search("bergk").map(\.id) == [id])

            let other = try await BasarProcess(databasePath: path, extraArguments: ["--search-cache", "0"])
            uncached = other
            let moved = try await other.client.send(
                "POST", "/v1/products/\(id)/stock-adjustments", json: ["delta": -2, "reason": "count"], token: token
            )
            #expect(moved.status == 200)
            #expect(try await search("bergk").map { $0["stock"]?.intValue } == [3], "stock moved by another process")
            let renamed = try await other.client.send(
                "PATCH", "/v1/products/\(id)", json: ["title": "Alpkäse mild"], token: token
            )
            #expect(renamed.status == 200)
            #expect(try await search("bergk").isEmpty, "title changed by another process")
            #expect(try await search("alpk").map(\.id) == [id])
            #expect(try await other.client.send("GET", "/v1/products?q=alpk").json["data"]?.arrayValue?.count == 1)
        } catch { Issue.record(error) }
        for process in [cached, uncached].compactMap({ $0 }) {
            process.kill(SIGTERM)
            if await process.waitForExit() == nil { process.kill(SIGKILL) }
        }
        #expect(try await BasarBinary.execute(["serve", "--search-cache", "-1"]).code == 64)
    }

    @Test("the cache holds at most its product budget, oldest pages first")
    func bounded() throws {
        let cache = SearchCache(maxProducts: 5)
        let versions = SearchCache.Versions(products: 1, search: 1)
        func product(_ id: String) -> Product {
            Product(
                id: id, sku: id, title: id, description: "", priceCents: 1, stock: 1, category: "c", imageURL: nil,
                active: true, createdAt: 0, updatedAt: 0
            )
        }
        func key(_ word: String) -> SearchCache.Key {
            SearchCache.Key(SearchQuery(word), filter: ProductFilter(query: word), page: PageRequest(limit: 20))
        }
        for index in 0..<4 {
            cache.store(ProductListing(Page(items: [product("a\(index)"), product("b\(index)")], nextCursor: nil)), for: key("w\(index)"), at: versions)
        }
        #expect(cache.count == 2, "4 pages of 2 products in a budget of 5 keep the newest 2")
        cache.store(ProductListing(Page(items: [], nextCursor: nil)), for: key("empty"), at: versions)
        #expect(cache.count <= 3)
        cache.store(ProductListing(Page(items: (0..<6).map { product("big\($0)") }, nextCursor: nil)), for: key("big"), at: versions)
        #expect(cache.count <= 3, "a page larger than the budget is not cached")

        let off = SearchCache(maxProducts: 0)   // `basar serve --search-cache 0`
        off.store(ProductListing(Page(items: [], nextCursor: nil)), for: key("w0"), at: versions)
        #expect(off.count == 0)
    }
}
