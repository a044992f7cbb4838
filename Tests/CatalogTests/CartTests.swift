import Core
import Foundation
import Testing
import TestSupport

@Suite("Cart (API.md §4)")
struct CartTests {
    @Test("a new cart is empty with subtotal 0 and updated_at null")
    func empty() async throws {
        let c = try await CatalogFixture.start()
        do {
            let (token, _) = try await c.server.signUp()
            let cart = try await c.server.send("GET", "/v1/cart", token: token)
            #expect(cart.status == 200)
            #expect(cart.json == ["items": [], "subtotal_cents": 0, "currency": .string(Money.currency), "updated_at": nil])
            #expect(try await c.server.send("GET", "/v1/cart").status == 401)
        } catch { Issue.record(error) }
        await c.stop()
    }

    @Test("PUT sets a quantity, DELETE removes it; lines priced at the current price")
    func putAndDelete() async throws {
        let c = try await CatalogFixture.start()
        do {
            let (token, _) = try await c.server.signUp()
            let a = try await c.product("Teekanne", price: 1990)
            let b = try await c.product("Tassen", price: 500)
            var cart = try await c.server.send("PUT", "/v1/cart/items/\(a.id)", json: ["quantity": 2], token: token)
            #expect(cart.status == 200)
            cart = try await c.server.send("PUT", "/v1/cart/items/\(b.id)", json: ["quantity": 3], token: token)
            cart = try await c.server.send("PUT", "/v1/cart/items/\(a.id)", json: ["quantity": 1], token: token)
            let items = cart.json["items"]?.arrayValue ?? []
            #expect(items.map { $0["product_id"]?.stringValue ?? "" } == [a.id, b.id])
            #expect(items.first == JSON.object([
                ("product_id", .string(a.id)), ("title", "Teekanne"), ("quantity", 1), ("unit_price_cents", 1990),
                ("line_total_cents", 1990),
            ]))
            #expect(cart.json["subtotal_cents"] == 3490)
            #expect(cart.json["updated_at"]?.stringValue != nil)
            _ = try await c.server.send("PATCH", "/v1/products/\(b.id)", json: ["price_cents": 600], token: c.merchant)
            cart = try await c.server.send("GET", "/v1/cart", token: token)
            #expect(cart.json["subtotal_cents"] == 3790)
            cart = try await c.server.send("DELETE", "/v1/cart/items/\(a.id)", token: token)
            #expect(cart.status == 200)
            #expect(cart.json["items"]?.arrayValue?.count == 1)
            #expect(cart.json["subtotal_cents"] == 1800)
            let (other, _) = try await c.server.signUp()
            #expect(try await c.server.send("GET", "/v1/cart", token: other).json["items"] == [])
        } catch { Issue.record(error) }
        await c.stop()
    }

    @Test("quantity 1–99; unknown or inactive product 404 (before body checks)")
    func rules() async throws {
        let c = try await CatalogFixture.start()
        do {
            let (token, _) = try await c.server.signUp()
            let p = try await c.product("Ok", stock: 0)
            let hidden = try await c.product("Hidden", active: false)
            for body: JSON in [["quantity": 0], ["quantity": 100], ["quantity": "2"], [:], ["quantity": 1, "x": 1]] {
                #expect(try await c.server.send("PUT", "/v1/cart/items/\(p.id)", json: body, token: token).status == 400)
            }
            // Stock is checked at checkout, not in the cart.
            #expect(try await c.server.send("PUT", "/v1/cart/items/\(p.id)", json: ["quantity": 99], token: token).status == 200)
            #expect(try await c.server.send("PUT", "/v1/cart/items/prd_none", json: ["quantity": 0], token: token).status == 404)
            #expect(try await c.server.send("PUT", "/v1/cart/items/\(hidden.id)", json: ["quantity": 1], token: token).status == 404)
            #expect(try await c.server.send("DELETE", "/v1/cart/items/prd_none", token: token).status == 404)
        } catch { Issue.record(error) }
        await c.stop()
    }
}
