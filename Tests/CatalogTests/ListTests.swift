import Core
import Foundation
import Testing
import TestSupport

@Suite("Product lists, search and categories (API.md §3, §12)")
struct ListTests {
    @Test("lists are newest first, active only; merchants add include_inactive; a customer's flag is ignored")
    func activeOnly() async throws {
        let c = try await CatalogFixture.start()
        do {
            let a = try await c.product("A")
            let hidden = try await c.product("Hidden", active: false)
            let b = try await c.product("B")
            let publicIDs = try await c.all("/v1/products").map(\.id)
            #expect(Set(publicIDs) == [a.id, b.id])
            let (customer, _) = try await c.server.signUp()
            #expect(Set(try await c.all("/v1/products?include_inactive=true", token: customer).map(\.id)) == [a.id, b.id])
            let staff = try await c.all("/v1/products?include_inactive=true", token: c.merchant).map(\.id)
            #expect(Set(staff) == [a.id, b.id, hidden.id])
            #expect(Set(try await c.all("/v1/products", token: c.merchant).map(\.id)) == [a.id, b.id])
            let first = try await c.server.send("GET", "/v1/products")
            #expect(first.json["next_cursor"] == .null)
        } catch { Issue.record(error) }
        await c.stop()
    }

    @Test("limit 1–100 and a valid cursor, else 400")
    func limits() async throws {
        let c = try await CatalogFixture.start()
        do {
            for query in ["limit=0", "limit=101", "limit=abc", "cursor=garbage!"] {
                let response = try await c.server.send("GET", "/v1/products?\(query)")
                #expect(response.status == 400, "\(query)")
            }
            #expect(try await c.server.send("GET", "/v1/products?limit=100").status == 200)
        } catch { Issue.record(error) }
        await c.stop()
    }

    @Test("keyset pages never skip or repeat while products are being added")
    func stablePages() async throws {
        let c = try await CatalogFixture.start()
        do {
            var original: [String] = []
            for index in 0..<25 { original.append(try await c.product("Item \(index)").id) }
            var seen: [String] = []
            var cursor: String?
            for round in 0..<100 {
                let path = "/v1/products?limit=4" + (cursor.map { "&cursor=\($0)" } ?? "")
                let response = try await c.server.send("GET", path)
                seen += response.json["data"]?.arrayValue?.map(\.id) ?? []
                try await c.product("Added during paging \(round)")
                cursor = response.json["next_cursor"]?.stringValue
                if cursor == nil { break }
            }
            #expect(Set(seen).count == seen.count, "no product is repeated")
            #expect(Set(original).isSubset(of: Set(seen)), "no original product is skipped")
        } catch { Issue.record(error) }
        await c.stop()
    }

    @Test("category filter")
    func category() async throws {
        let c = try await CatalogFixture.start()
        do {
            let tea = try await c.product("Green", category: "kaffee-tee")
            try await c.product("Phone", category: "elektronik")
            #expect(try await c.all("/v1/products?category=kaffee-tee").map(\.id) == [tea.id])
            #expect(try await c.all("/v1/products?category=none").isEmpty)
        } catch { Issue.record(error) }
        await c.stop()
    }

    @Test("search: accent- and case-insensitive word prefixes, every word must match")
    func search() async throws {
        let c = try await CatalogFixture.start()
        do {
            let kaese = try await c.product("Käse aus den Alpen", description: "würzig")
            let teeSet = try await c.product("Tee-Set", description: "Porzellan")
            let kanne = try await c.product("Teekanne", description: "Glas")
            let cafe = try await c.product("Café Crème", description: "Röstung mit TEE-Aroma")
            try await c.product("Bergkäse")
            let hidden = try await c.product("Käse versteckt", active: false)
            func search(_ q: String) async throws -> [String] { try await c.all("/v1/products?q=\(encoded(q))").map(\.id) }
            #expect(try await search("kase") == [kaese.id])
            #expect(try await search("KÄSE") == [kaese.id])
            #expect(Set(try await search("tee")) == [teeSet.id, kanne.id, cafe.id])
            #expect(try await search("tee set") == [teeSet.id])
            #expect(try await search("tee-set") == [teeSet.id])
            #expect(try await search("cafe creme") == [cafe.id])
            #expect(try await search("porz") == [teeSet.id])
            #expect(try await search("tee glas") == [kanne.id])
            #expect(try await search("nothing").isEmpty)
            #expect(try await search("\"tee\" OR *").count >= 0)  // FTS syntax in input is never an error
            let staff = try await c.all("/v1/products?q=kase&include_inactive=true", token: c.merchant).map(\.id)
            #expect(Set(staff) == [kaese.id, hidden.id])
        } catch { Issue.record(error) }
        await c.stop()
    }

    @Test("search ranks title matches before description matches, then newest first, across pages")
    func relevance() async throws {
        // Equal timestamps order by id, so the clock moves between products to make "newest" well defined.
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let c = try await CatalogFixture.start(clock: clock)
        do {
            let inTitleOld = try await c.product("Teekanne alt")
            clock.advance(by: 1)
            let inDescription = try await c.product("Kanne", description: "für Tee")
            clock.advance(by: 1)
            let inTitleNew = try await c.product("Tee-Set neu")
            let all = try await c.all("/v1/products?q=tee&limit=1")
            #expect(all.map(\.id) == [inTitleNew.id, inTitleOld.id, inDescription.id])
        } catch { Issue.record(error) }
        await c.stop()
    }

    @Test("categories: display names from Content/categories.json, else the slug; counts of active products")
    func categories() async throws {
        let c = try await CatalogFixture.start()
        do {
            try await c.product("Käse", category: "kaese-feinkost")
            try await c.product("Käse 2", category: "kaese-feinkost")
            try await c.product("Versteckt", category: "kaese-feinkost", active: false)
            try await c.product("Thing", category: "zzz-custom")
            let response = try await c.server.send("GET", "/v1/categories")
            #expect(response.status == 200)
            #expect(response.json["next_cursor"] == nil)
            let data = response.json["data"]?.arrayValue ?? []
            #expect(data.count == 2)
            let cheese = data.first { $0["slug"] == "kaese-feinkost" }
            #expect(cheese?["name"] == "Käse & Feinkost")
            #expect(cheese?["product_count"] == 2)
            let custom = data.first { $0["slug"] == "zzz-custom" }
            #expect(custom?["name"] == "zzz-custom")
            #expect(custom?["product_count"] == 1)
        } catch { Issue.record(error) }
        await c.stop()
    }

    @Test("--demo loads at least 200 products in at least 8 categories, searchable")
    func demo() async throws {
        await ServerGate.shared.acquire()
        let server: InProcessApp
        do {
            server = try await InProcessApp(demo: true)
        } catch {
            await ServerGate.shared.release()
            throw error
        }
        let fixture = CatalogFixture(server: server, merchant: "")
        do {
            let products = try await fixture.all("/v1/products?limit=100")
            #expect(products.count >= 200)
            let categories = try await server.send("GET", "/v1/categories").json["data"]?.arrayValue ?? []
            #expect(categories.count >= 8)
            let tee = try await server.send("GET", "/v1/products?q=tee&limit=100").json["data"]?.arrayValue ?? []
            #expect(tee.contains { $0["title"]?.stringValue?.hasPrefix("Tee-Set") == true })
            #expect(tee.contains { $0["title"]?.stringValue?.hasPrefix("Teekanne") == true })
            let kase = try await server.send("GET", "/v1/products?q=kase").json["data"]?.arrayValue ?? []
            #expect(!kase.isEmpty)
        } catch { Issue.record(error) }
        await fixture.stop()
    }
}
