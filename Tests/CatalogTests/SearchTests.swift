import App
import Core
import Foundation
import Storage
import Testing
import TestSupport

/// Search order and paging against the time-keyed index of migration 0204 (API.md §12 "Search").
@Suite("Search order, paging and index upkeep")
struct SearchTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// The contract's order, computed from the answers alone: every word in the title first, then newest, then id
    /// descending (ids compare as bytes).
    static func expectedOrder(_ products: [JSON], titleMatches: (JSON) -> Bool) -> [String] {
        products.sorted { a, b in
            let (tierA, tierB) = (titleMatches(a) ? 0 : 1, titleMatches(b) ? 0 : 1)
            if tierA != tierB { return tierA < tierB }
            let (timeA, timeB) = (a["created_at"]?.stringValue ?? "", b["created_at"]?.stringValue ?? "")
            if timeA != timeB { return timeA > timeB }
            return b.id.utf8.lexicographicallyPrecedes(a.id.utf8)
        }.map(\.id)
    }

    @Test("many products a second: pages keep tier, newest, id descending; adding products never skips or repeats")
    func tiesWithinSeconds() async throws {
        let clock = ManualClock(Self.start)
        let c = try await CatalogFixture.start(clock: clock)
        do {
            // Several products per second, so a page often ends inside a second whose keys are not in id order.
            var matching: [JSON] = []
            for second in 0..<4 {
                for index in 0..<7 {
                    let inTitle = (second + index) % 3 != 0
                    matching.append(try await inTitle
                        ? c.product("Tee \(second)-\(index)", description: "Sorte")
                        : c.product("Kanne \(second)-\(index)", description: "für Teeliebhaber"))
                    try await c.product("Kaffee \(second)-\(index)")
                }
                clock.advance(by: 1)
            }
            let expected = Self.expectedOrder(matching) { $0["title"]?.stringValue?.hasPrefix("Tee") == true }
            for limit in [1, 3, 4, 7, 100] {
                #expect(try await c.all("/v1/products?q=tee&limit=\(limit)").map(\.id) == expected, "limit \(limit)")
            }
            // Page while products are added, some in seconds the pages have already passed (clock set back).
            var seen: [String] = []
            var cursor: String?
            for round in 0..<100 {
                let path = "/v1/products?q=tee&limit=3" + (cursor.map { "&cursor=\($0)" } ?? "")
                let response = try await c.server.send("GET", path)
                #expect(response.status == 200)
                seen += response.json["data"]?.arrayValue?.map(\.id) ?? []
                clock.set(Self.start.addingTimeInterval(Double(round % 5)))
                let title = round.isMultiple(of: 2) ? "Tee neu \(round)" : "Kanne neu \(round)"
                try await c.product(title, description: "Tee")
                cursor = response.json["next_cursor"]?.stringValue
                if cursor == nil { break }
            }
            #expect(Set(seen).count == seen.count, "no product is repeated")
            #expect(Set(expected).isSubset(of: Set(seen)), "no product that existed before paging is skipped")
        } catch { Issue.record(error) }
        await c.stop()
    }

    @Test("edits apply at once: a new title changes the tier, deactivation hides, a new category filters")
    func edits() async throws {
        let clock = ManualClock(Self.start)
        let c = try await CatalogFixture.start(clock: clock)
        do {
            let older = try await c.product("Teekanne", description: "Glas", category: "kueche")
            clock.advance(by: 1)
            let newer = try await c.product("Kanne", description: "für Tee", category: "kueche")
            func search(_ query: String, token: String? = nil) async throws -> [String] {
                try await c.all("/v1/products?\(query)", token: token).map(\.id)
            }
            #expect(try await search("q=tee") == [older.id, newer.id])
            let patch = try await c.server.send(
                "PATCH", "/v1/products/\(newer.id)", json: ["title": "Tee-Kanne"], token: c.merchant
            )
            #expect(patch.status == 200)
            #expect(try await search("q=tee") == [newer.id, older.id], "both in the title now: newest first")
            #expect(try await search("q=teek%20glas") == [older.id])
            _ = try await c.server.send(
                "PATCH", "/v1/products/\(older.id)", json: ["category": "garten"], token: c.merchant
            )
            #expect(try await search("q=tee&category=garten") == [older.id])
            #expect(try await search("q=tee&category=kueche") == [newer.id])
            #expect(try await search("q=tee&category=unbekannt").isEmpty)
            _ = try await c.server.send("PATCH", "/v1/products/\(newer.id)", json: ["active": false], token: c.merchant)
            #expect(try await search("q=tee") == [older.id])
            #expect(try await search("q=tee&include_inactive=true", token: c.merchant) == [newer.id, older.id])
            let forged = Cursor.encode([0, .int(1 << 50), "x"])  // a time no product has: 400, not an overflow
            #expect(try await c.server.send("GET", "/v1/products?q=tee&cursor=\(forged)").status == 400)
        } catch { Issue.record(error) }
        await c.stop()
    }

    @Test("migration 0204 indexes the products that were there before it, ties by id")
    func backfill() async throws {
        let path = TestServer.temporaryDatabasePath()
        defer { TestServer.removeDatabase(at: path) }
        let database = try Database(path: path)
        // 0206 builds on 0204's keys, so both wait; the second migrate runs them in order over existing products.
        let later: Set<String> = ["0204_search_by_time_with_prefix_index", "0206_title_search"]
        let before = BasarApp.migrations.filter { !later.contains($0.name) }
        try await database.migrate(before)
        let ids = (0..<12).map { "prd_m\(String(($0 * 7) % 12, radix: 16))\($0)" }
        try await database.write { db in
            for (index, id) in ids.enumerated() {
                try db.run(
                    """
                    INSERT INTO products (id, sku, title, description, price_cents, stock, category, active, created_at,
                        updated_at)
                    VALUES (?, ?, ?, 'Käse', 100, 1, 'misc', 1, ?, ?)
                    """,
                    id, "SKU-M\(index)", index.isMultiple(of: 3) ? "Käse \(index)" : "Brot \(index)",
                    1_800_000_000 + Int64(index / 4), 1_800_000_000
                )
            }
        }
        try await database.migrate(BasarApp.migrations)
        database.close()
        await ServerGate.shared.acquire()
        let server: TestServer
        do {
            server = try await TestServer(databasePath: path)
        } catch {
            await ServerGate.shared.release()
            throw error
        }
        do {
            let c = CatalogFixture(server: server, merchant: "")
            let found = try await c.all("/v1/products?q=kase&limit=5")
            let inTitle = Set(ids.enumerated().filter { $0.offset.isMultiple(of: 3) }.map(\.element))
            #expect(found.map(\.id) == Self.expectedOrder(found) { inTitle.contains($0.id) })
            #expect(Set(found.map(\.id)) == Set(ids))
        } catch { Issue.record(error) }
        await server.stop(removeDatabase: false)
        await ServerGate.shared.release()
    }
}
