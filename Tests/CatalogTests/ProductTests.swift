import Core
import Foundation
import Testing
import TestSupport

@Suite("Products: create, read, change, stock (API.md §3, §12)")
struct ProductTests {
    @Test("a merchant creates a product; every documented field comes back")
    func create() async throws {
        let c = try await CatalogFixture.start()
        do {
            let response = try await c.server.send("POST", "/v1/products", json: [
                "sku": "TEE-SET_1.a", "title": "  Tee-Set  ", "price_cents": 2490, "stock": 5, "category": "kaffee-tee",
                "image_url": "https://img.example/tee.jpg",
            ], token: c.merchant)
            #expect(response.status == 201)
            let p = response.json
            #expect(p.id.hasPrefix("prd_"))
            #expect(p["sku"] == "TEE-SET_1.a")
            #expect(p["title"] == "Tee-Set")
            #expect(p["description"] == "")
            #expect(p["price_cents"] == 2490)
            #expect(p["currency"] == .string(Money.currency))
            #expect(p["stock"] == 5)
            #expect(p["category"] == "kaffee-tee")
            #expect(p["image_url"] == "https://img.example/tee.jpg")
            #expect(p["active"] == true)
            #expect(p["created_at"]?.stringValue?.hasSuffix("Z") == true)
            #expect(p["updated_at"] != nil)
            let again = try await c.server.send("GET", "/v1/products/\(p.id)")
            #expect(again.status == 200)
            #expect(again.json == p)
            let noImage = try await c.product("Plain")
            #expect(noImage["image_url"] == .null)
        } catch { Issue.record(error) }
        await c.stop()
    }

    @Test("only merchants create: 401 without a token, 403 for a customer")
    func access() async throws {
        let c = try await CatalogFixture.start()
        do {
            let body: JSON = ["sku": "A", "title": "T", "price_cents": 1, "stock": 0, "category": "x"]
            #expect(try await c.server.send("POST", "/v1/products", json: body).status == 401)
            let (customer, _) = try await c.server.signUp()
            let denied = try await c.server.send("POST", "/v1/products", json: body, token: customer)
            #expect(denied.status == 403)
            #expect(denied.code == "forbidden")
            let (admin, _) = try await c.server.signUp(roles: [.admin])
            #expect(try await c.server.send("POST", "/v1/products", json: body, token: admin).status == 201)
        } catch { Issue.record(error) }
        await c.stop()
    }

    @Test("a duplicate sku is 409 sku_taken")
    func skuTaken() async throws {
        let c = try await CatalogFixture.start()
        do {
            try await c.product("One", sku: "DUP-1")
            let body: JSON = ["sku": "DUP-1", "title": "Two", "price_cents": 100, "stock": 1, "category": "x"]
            let response = try await c.server.send("POST", "/v1/products", json: body, token: c.merchant)
            #expect(response.status == 409)
            #expect(response.code == "sku_taken")
        } catch { Issue.record(error) }
        await c.stop()
    }

    static let invalidFields: [(String, JSON)] = [
        ("sku", JSON.string("has space")), ("sku", .string("")), ("sku", .string(String(repeating: "a", count: 65))),
        ("sku", .string("Käse")), ("title", .string("   ")), ("title", .string(String(repeating: "t", count: 201))),
        ("description", .string(String(repeating: "d", count: 5001))), ("price_cents", .int(0)),
        ("price_cents", .int(-5)), ("price_cents", .string("10")), ("price_cents", .double(1.5)), ("stock", .int(-1)),
        ("category", .string("Elektronik")), ("category", .string("a_b")),
        ("category", .string(String(repeating: "c", count: 41))), ("image_url", .string("ftp://x.example/a.png")),
        ("image_url", .string("not a url")), ("image_url", .string("https://")),
        ("image_url", .string("https://x.example/" + String(repeating: "a", count: 2000))), ("active", .string("yes")),
        ("roles", .string("x")),
    ]

    @Test("invalid fields are 400 naming the field")
    func invalid() async throws {
        let c = try await CatalogFixture.start()
        do {
            for (field, value) in Self.invalidFields {
                var members: [(String, JSON)] = [
                    ("sku", "OK-1"), ("title", "Title"), ("price_cents", 100), ("stock", 1), ("category", "cat"),
                ]
                members.removeAll { $0.0 == field }
                members.append((field, value))
                let response = try await c.server.send("POST", "/v1/products", json: .object(members), token: c.merchant)
                #expect(response.status == 400, "\(field) = \(value.serializedString())")
                #expect(response.code == "invalid_request")
                #expect(response.json["errors"]?.arrayValue?.first?["field"]?.stringValue == field)
            }
        } catch { Issue.record(error) }
        await c.stop()
    }

    @Test("required fields are 400 when missing")
    func missing() async throws {
        let c = try await CatalogFixture.start()
        do {
            for field in ["sku", "title", "price_cents", "stock", "category"] {
                var members: [(String, JSON)] = [
                    ("sku", "OK-1"), ("title", "Title"), ("price_cents", 100), ("stock", 1), ("category", "cat"),
                ]
                members.removeAll { $0.0 == field }
                let response = try await c.server.send("POST", "/v1/products", json: .object(members), token: c.merchant)
                #expect(response.status == 400, "\(field)")
                #expect(response.json["errors"]?.arrayValue?.first?["field"]?.stringValue == field)
            }
        } catch { Issue.record(error) }
        await c.stop()
    }

    @Test("an inactive product is 404 to the public and customers, visible to merchants")
    func inactive() async throws {
        let c = try await CatalogFixture.start()
        do {
            let p = try await c.product("Hidden", active: false)
            #expect(try await c.server.send("GET", "/v1/products/\(p.id)").status == 404)
            let (customer, _) = try await c.server.signUp()
            #expect(try await c.server.send("GET", "/v1/products/\(p.id)", token: customer).status == 404)
            let seen = try await c.server.send("GET", "/v1/products/\(p.id)", token: c.merchant)
            #expect(seen.status == 200)
            #expect(seen.json["active"] == false)
            #expect(try await c.server.send("GET", "/v1/products/prd_nope").code == "not_found")
        } catch { Issue.record(error) }
        await c.stop()
    }

    @Test("PATCH changes only the six editable fields; others are 400; unknown id 404 before body checks")
    func patch() async throws {
        let c = try await CatalogFixture.start()
        do {
            let p = try await c.product("Old", description: "old text", price: 500, stock: 3, category: "a")
            let response = try await c.server.send("PATCH", "/v1/products/\(p.id)", json: [
                "title": "Neu", "description": "frisch", "price_cents": 750, "category": "b",
                "image_url": "http://img.example/x.png", "active": false,
            ], token: c.merchant)
            #expect(response.status == 200)
            #expect(response.json["title"] == "Neu")
            #expect(response.json["description"] == "frisch")
            #expect(response.json["price_cents"] == 750)
            #expect(response.json["category"] == "b")
            #expect(response.json["image_url"] == "http://img.example/x.png")
            #expect(response.json["active"] == false)
            #expect(response.json["stock"] == 3)
            #expect(response.json["sku"] == p["sku"])
            let cleared = try await c.server.send("PATCH", "/v1/products/\(p.id)", json: ["image_url": nil], token: c.merchant)
            #expect(cleared.json["image_url"] == .null)
            for field in ["sku", "stock", "id", "created_at", "currency"] {
                let bad = try await c.server.send("PATCH", "/v1/products/\(p.id)", json: .object([(field, .string("1"))]), token: c.merchant)
                #expect(bad.status == 400, "\(field)")
                #expect(bad.json["errors"]?.arrayValue?.first?["field"]?.stringValue == field)
            }
            let badPrice = try await c.server.send("PATCH", "/v1/products/\(p.id)", json: ["price_cents": 0], token: c.merchant)
            #expect(badPrice.status == 400)
            let unknown = try await c.server.send("PATCH", "/v1/products/prd_none", json: ["sku": "x"], token: c.merchant)
            #expect(unknown.status == 404)
            let (customer, _) = try await c.server.signUp()
            #expect(try await c.server.send("PATCH", "/v1/products/\(p.id)", json: ["title": "x"], token: customer).status == 403)
        } catch { Issue.record(error) }
        await c.stop()
    }

    @Test("20 parallel adjustments of -1 on stock 5: exactly 5 succeed, 15 are 409 out_of_stock, stock ends at 0")
    func parallelAdjustmentsStopAtZero() async throws {
        let c = try await CatalogFixture.startServer()
        do {
            let p = try await c.product("Rare", stock: 5)
            let client = c.server.client
            let merchant = c.merchant
            let path = "/v1/products/\(p.id)/stock-adjustments"
            let answers = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        let r = try await client.send("POST", path, json: ["delta": -1, "reason": "sold"], token: merchant)
                        return (r.status, r.code)
                    }
                }
                return try await group.reduce(into: [(Int, String?)]()) { $0.append($1) }
            }
            #expect(answers.filter { $0.0 == 200 }.count == 5)
            #expect(answers.filter { $0.0 == 409 && $0.1 == "out_of_stock" }.count == 15)
            #expect(try await c.server.send("GET", "/v1/products/\(p.id)").json["stock"] == 0)
            let recorded = try await c.server.database.read { db in
                try db.scalar("SELECT count(*) FROM stock_adjustments WHERE product_id = ?", p.id)
            }
            #expect(recorded == 5, "only the adjustments that happened are recorded")
        } catch { Issue.record(error) }
        await c.stop()
    }

    @Test("stock adjustments: delta ≠ 0, reason 1–200, never below zero (409 out_of_stock)")
    func stockAdjustments() async throws {
        let c = try await CatalogFixture.start()
        do {
            let p = try await c.product("Stocked", stock: 5)
            let path = "/v1/products/\(p.id)/stock-adjustments"
            let up = try await c.server.send("POST", path, json: ["delta": 7, "reason": "delivery"], token: c.merchant)
            #expect(up.status == 200)
            #expect(up.json["stock"] == 12)
            let down = try await c.server.send("POST", path, json: ["delta": -12, "reason": "inventory"], token: c.merchant)
            #expect(down.json["stock"] == 0)
            let below = try await c.server.send("POST", path, json: ["delta": -1, "reason": "broken"], token: c.merchant)
            #expect(below.status == 409)
            #expect(below.code == "out_of_stock")
            for body: JSON in [
                ["delta": 0, "reason": "x"], ["delta": 1], ["delta": 1, "reason": "  "],
                ["delta": 1, "reason": .string(String(repeating: "r", count: 201))], ["reason": "x"], ["delta": 1, "reason": "x", "note": "y"],
            ] {
                #expect(try await c.server.send("POST", path, json: body, token: c.merchant).status == 400, "\(body.serializedString())")
            }
            #expect(try await c.server.send("POST", "/v1/products/prd_x/stock-adjustments", json: ["delta": 0], token: c.merchant).status == 404)
            let (customer, _) = try await c.server.signUp()
            #expect(try await c.server.send("POST", path, json: ["delta": 1, "reason": "x"], token: customer).status == 403)
        } catch { Issue.record(error) }
        await c.stop()
    }
}
