import Core
import Foundation
import Storage
import Testing
import TestSupport

/// Recommendations of API.md §21 and §24 on orders placed through the API: exact cosine scores, fully refunded
/// orders left out, best sellers after co-purchases, the exclusions, the `personalization` consent, and a rebuild
/// that agrees with the consumer of the event log.
@Suite("Recommendations")
struct RecommendationTests {
    typealias Item = (id: String, reason: String, score: Double, because: String?)

    static func items(_ response: TestResponse) -> [Item] {
        (response.json["data"]?.arrayValue ?? []).map { item in
            let score: Double = switch item["score"] {
            case let .double(d): d
            case let .int(i): Double(i)
            default: -1
            }
            return (item["product"]?["id"]?.stringValue ?? "", item["reason"]?.stringValue ?? "", score, item["product_id"]?.stringValue)
        }
    }

    static func same(_ a: [Item], _ b: [Item]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.id == $1.id && $0.reason == $1.reason && $0.score == $1.score && $0.because == $1.because }
    }

    @Test("bought together by cosine, then the category's best sellers; never the product, inactive, out of stock or recently bought")
    func productRecommendations() async throws {
        try await InsightsWorld.withServer { w in
            let a = try await w.product("A", category: "kitchen")
            let b = try await w.product("B", category: "kitchen")
            let c = try await w.product("C", category: "kitchen")
            let d = try await w.product("D", category: "kitchen")
            let e = try await w.product("E", category: "kitchen")
            let f = try await w.product("F", category: "kitchen")
            let g = try await w.product("G", category: "garden")
            let buyer1 = try await w.buyer()
            let buyer2 = try await w.buyer()
            try await w.order([(a, 1), (b, 1)], token: buyer1.token)
            try await w.order([(a, 1), (b, 1), (c, 1)], token: buyer1.token)
            try await w.order([(a, 1), (c, 1)], token: buyer1.token)
            let refunded = try await w.order([(a, 1), (d, 1)], token: buyer1.token)
            try await w.refund(refunded, token: buyer1.token)                        // fully refunded: not a co-purchase
            let partly = try await w.order([(b, 1), (e, 2)], token: buyer1.token)
            try await w.refund(partly, [(e, 1)], token: buyer1.token)                // partly refunded: still counts
            try await w.order([(g, 3)], token: buyer1.token)
            try await w.order([(b, 1)], token: buyer2.token)
            await w.settle()
            // Orders holding: A 3, B 4, C 2, E 1, G 1. Together: A–B 2, A–C 2, B–C 1, B–E 1.
            // Units in the last 30 days net of refunds: B 4, A 3, G 3, C 2, E 1, D 0.
            func get(_ product: String, _ query: String = "", token: String? = nil) async throws -> [Item] {
                let response = try await w.server.send("GET", "/v1/products/\(product)/recommendations\(query)", token: token)
                #expect(response.status == 200, "\(response.text)")
                return Self.items(response)
            }
            #expect(Self.same(try await get(a), [(c, "bought_together", 0.8165, nil), (b, "bought_together", 0.5774, nil), (e, "popular_in_category", 1, nil)]))
            #expect(Self.same(try await get(b), [(a, "bought_together", 0.5774, nil), (e, "bought_together", 0.5, nil), (c, "bought_together", 0.3536, nil)]))
            #expect(Self.same(try await get(d), [(b, "popular_in_category", 4, nil), (a, "popular_in_category", 3, nil), (c, "popular_in_category", 2, nil), (e, "popular_in_category", 1, nil)]))
            #expect(Self.same(try await get(a, "?limit=1"), [(c, "bought_together", 0.8165, nil)]))
            #expect(try await get(f).allSatisfy { $0.id != f && $0.reason == "popular_in_category" })
            // The caller's purchases of the last 30 days are left out.
            #expect(try await get(a, token: buyer1.token).isEmpty)
            #expect(Self.same(try await get(a, token: buyer2.token), [(c, "bought_together", 0.8165, nil), (e, "popular_in_category", 1, nil)]))
            for query in ["?limit=0", "?limit=21", "?limit=x"] {
                let bad = try await w.server.send("GET", "/v1/products/\(a)/recommendations\(query)")
                #expect(bad.status == 400 && bad.json["errors"]?.arrayValue?.first?["field"] == "limit")
            }
            #expect(try await w.server.send("GET", "/v1/products/prd_missing/recommendations?limit=0").status == 404)

            // Personal: best sellers without the consent, co-purchases of one's own purchases with it.
            let plain = try await w.server.send("GET", "/v1/me/recommendations", token: buyer2.token)
            #expect(plain.json["personalized"] == false)
            let tied = [a, g].sorted()
            #expect(Self.same(Self.items(plain), [(tied[0], "popular", 3, nil), (tied[1], "popular", 3, nil), (c, "popular", 2, nil), (e, "popular", 1, nil)]), "\(plain.text)")
            try await w.consent("personalization", true, token: buyer2.token)
            let personal = try await w.server.send("GET", "/v1/me/recommendations?limit=4", token: buyer2.token)
            #expect(personal.json["personalized"] == true)
            #expect(Self.same(Self.items(personal), [(a, "because_you_bought", 0.5774, b), (e, "because_you_bought", 0.5, b), (c, "because_you_bought", 0.3536, b), (g, "popular", 3, nil)]), "\(personal.text)")
            try await w.consent("personalization", false, token: buyer2.token)
            #expect(try await w.server.send("GET", "/v1/me/recommendations", token: buyer2.token).json["personalized"] == false)

            // A rebuild from the orders gives the tables the consumer kept.
            func tables() async throws -> [String] {
                try await w.server.database.read { db in
                    try db.query("SELECT product_id, orders FROM co_purchase_counts ORDER BY product_id").map { "c \($0.string("product_id")) \($0.int64("orders"))" }
                        + db.query("SELECT product_id, other_id, together FROM co_purchase_pairs ORDER BY 1, 2").map {
                            "p \($0.string("product_id")) \($0.string("other_id")) \($0.int64("together"))"
                        }
                        + db.query("SELECT product_id, units FROM product_sales_recent ORDER BY product_id").map { "s \($0.string("product_id")) \($0.int64("units"))" }
                }
            }
            let kept = try await tables()
            let rebuilt = try await w.server.send("POST", "/v1/admin/recommendations/rebuild", token: w.admin)
            #expect(rebuilt.status == 200 && rebuilt.json["read_ms"]?.intValue != nil && rebuilt.json["write_ms"]?.intValue != nil)
            #expect(rebuilt.json["orders"] == 6 && rebuilt.json["order_lines"] == 11 && rebuilt.json["products"] == 5 && rebuilt.json["pairs"] == 4, "\(rebuilt.text)")
            await w.settle()
            #expect(try await tables() == kept)
            #expect(try await w.server.send("POST", "/v1/admin/recommendations/rebuild", token: buyer1.token).status == 403)

            // Inactive and out-of-stock products disappear at once, whatever is cached.
            let patched = try await w.server.send("PATCH", "/v1/products/\(c)", json: ["active": false], token: w.merchant)
            try #require(patched.status == 200, "\(patched.text)")
            #expect(Self.same(try await get(a), [(b, "bought_together", 0.5774, nil), (e, "popular_in_category", 1, nil)]))
            let stock = try await w.server.send("POST", "/v1/products/\(b)/stock-adjustments", json: ["delta": -46, "reason": "count"], token: w.merchant)
            try #require(stock.status == 200 || stock.status == 201, "\(stock.text)")
            #expect(Self.same(try await get(a), [(e, "popular_in_category", 1, nil)]))
            #expect(Self.same(try await get(d), [(a, "popular_in_category", 3, nil), (e, "popular_in_category", 1, nil)]))
            #expect(try await w.server.send("GET", "/v1/products/\(c)/recommendations").status == 404)

            // A new order counts without anyone waiting for it (the dispatcher runs on its own), well within 60 s.
            try await w.order([(a, 1), (f, 1)], token: buyer2.token)
            var seen = false
            for _ in 0..<120 where !seen {
                seen = try await get(f).contains { $0.id == a && $0.reason == "bought_together" }
                if !seen { try await Task.sleep(for: .milliseconds(250)) }
            }
            #expect(seen)
        }
    }

    @Test("the 30-day rules follow the clock: best sellers leave the window, the caller's old purchases come back")
    func window() async throws {
        try await InsightsWorld.withServer(testClock: true) { w in
            let a = try await w.product("A", category: "kitchen")
            let b = try await w.product("B", category: "kitchen")
            let buyer = try await w.buyer()
            let other = try await w.buyer()
            try await w.order([(a, 1), (b, 2)], token: buyer.token)
            await w.settle()
            let url = "/v1/products/\(a)/recommendations"
            #expect(Self.same(Self.items(try await w.server.send("GET", url)), [(b, "bought_together", 1, nil)]))
            #expect(Self.items(try await w.server.send("GET", url, token: buyer.token)).isEmpty)
            let popular = try await w.server.send("GET", "/v1/me/recommendations", token: other.token)
            #expect(Self.same(Self.items(popular), [(b, "popular", 2, nil), (a, "popular", 1, nil)]), "\(popular.text)")

            let moved = try await w.server.send("POST", "/v1/admin/test-clock", json: ["advance_seconds": .int(31 * 86_400)], token: w.admin)
            try #require(moved.status == 200, "\(moved.text)")
            var emptied = false
            for _ in 0..<60 where !emptied {
                emptied = Self.items(try await w.server.send("GET", "/v1/me/recommendations", token: other.token)).isEmpty
                if !emptied { try await Task.sleep(for: .milliseconds(250)) }
            }
            #expect(emptied, "the daily job moved the window past the order")
            // Co-purchases do not expire, and a purchase 31 days ago no longer hides a product from its buyer.
            #expect(Self.same(Self.items(try await w.server.send("GET", url, token: buyer.token)), [(b, "bought_together", 1, nil)]))
        }
    }

    @Test("one batch of the consumer holds orders and their refunds: the kept tables are what a rebuild gives")
    func batchWithRefunds() async throws {
        try await InsightsWorld.with { w in
            var products: [String] = []
            for title in ["A", "B", "C"] { products.append(try await w.product(title, category: "kitchen")) }
            let (a, b, c) = (products[0], products[1], products[2])
            let buyer = try await w.buyer()
            // In process nothing runs until settle(): every event below reaches the consumer in one batch, a full
            // refund right behind its order (its rows must reach zero and go, not come back with a later order).
            let first = try await w.order([(a, 1), (b, 1)], token: buyer.token)
            try await w.refund(first, token: buyer.token)
            try await w.order([(a, 2), (b, 1)], token: buyer.token)
            try await w.order([(a, 1), (b, 1), (c, 1)], token: buyer.token)
            let partly = try await w.order([(b, 1), (c, 2)], token: buyer.token)
            try await w.refund(partly, [(c, 1)], token: buyer.token)
            try await w.order([(b, 1), (c, 1)], token: buyer.token)
            await w.settle()
            func tables() async throws -> [String] {
                try await w.server.database.read { db in
                    try db.query("SELECT product_id, orders FROM co_purchase_counts ORDER BY product_id").map { "c \($0.string("product_id")) \($0.int64("orders"))" }
                        + db.query("SELECT product_id, other_id, together FROM co_purchase_pairs ORDER BY 1, 2").map {
                            "p \($0.string("product_id")) \($0.string("other_id")) \($0.int64("together"))"
                        }
                        + db.query("SELECT day, product_id, units FROM product_sales_days ORDER BY 1, 2").map { "d \($0.int64("day")) \($0.string("product_id")) \($0.int64("units"))" }
                        + db.query("SELECT product_id, units FROM product_sales_recent ORDER BY product_id").map { "s \($0.string("product_id")) \($0.int64("units"))" }
                }
            }
            let kept = try await tables()
            // Orders holding: A 2, B 4, C 3; together A–B 2, A–C 1, B–C 3. Units: A 3, B 4, C 3.
            #expect(kept.filter { $0.hasPrefix("c ") } == ["c \(a) 2", "c \(b) 4", "c \(c) 3"].sorted())
            #expect(kept.filter { $0.hasPrefix("s ") } == ["s \(a) 3", "s \(b) 4", "s \(c) 3"].sorted())
            let rebuilt = try await w.server.send("POST", "/v1/admin/recommendations/rebuild", token: w.admin)
            try #require(rebuilt.status == 200, "\(rebuilt.text)")
            await w.settle()
            #expect(try await tables() == kept)
        }
    }
}
