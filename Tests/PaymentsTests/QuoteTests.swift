import Core
import Foundation
import Testing
import TestSupport

/// `POST /v1/orders/quote` (API.md §14): the checkout's price and errors, and nothing changed.
@Suite("Order quotes")
struct QuoteTests {
    @Test("a quote prices the cart with its coupon and changes no stock, coupon, cart or wallet")
    func quoteChangesNothing() async throws {
        let shop = try await Shop.start()
        do {
            let buyer = try await shop.buyer(funds: 3_000)
            let kanne = try await shop.product("Teekanne", price: 1990, stock: 5)
            let coupon = try await shop.coupon(for: buyer.id, fixed: 500)
            let added = try await shop.server.send(
                "PUT", "/v1/cart/items/\(kanne)", json: ["quantity": 2], token: buyer.token
            )
            #expect(added.status == 200, "\(added.text)")
            let quote = try await shop.server.send(
                "POST", "/v1/orders/quote", json: ["from_cart": true, "coupon_id": .string(coupon)], token: buyer.token
            )
            #expect(quote.status == 200, "\(quote.text)")
            #expect(quote.json["subtotal_cents"] == 3980)
            #expect(quote.json["discount_cents"] == 500)
            #expect(quote.json["total_cents"] == 3480)
            #expect(quote.json["currency"] == "EUR")
            #expect(quote.json["coupon_id"]?.stringValue == coupon)
            #expect(quote.json["wallet_balance_cents"] == 3000)
            #expect(quote.json["sufficient_funds"] == false, "a quote reports a short wallet instead of 402")
            #expect(quote.json["items"]?.arrayValue?.first?["quantity"]?.intValue == 2)

            #expect(try await shop.stock(kanne) == 5)
            #expect(try await shop.balance(buyer.token) == 3000)
            let cart = try await shop.server.send("GET", "/v1/cart", token: buyer.token)
            #expect(cart.json["items"]?.arrayValue?.count == 1)
            // The coupon is still unused: a real order may redeem it.
            try await shop.topUp(1_000, token: buyer.token)
            let order = try await shop.order([(kanne, 1)], token: buyer.token, coupon: coupon)
            #expect(order.status == 201, "\(order.text)")
            #expect(order.json["discount_cents"] == 500)
            #expect(try await shop.ledger()["balanced"] == true)
        } catch {
            await shop.stop()
            throw error
        }
        await shop.stop()
    }

    @Test("a quote answers the checkout's errors: unknown product 404, out_of_stock 409, bad coupon 422, no body 400")
    func quoteErrors() async throws {
        let shop = try await Shop.start()
        do {
            let buyer = try await shop.buyer(funds: 10_000)
            let kanne = try await shop.product(price: 1000, stock: 1)
            let send = { (body: JSON) in
                try await shop.server.send("POST", "/v1/orders/quote", json: body, token: buyer.token)
            }
            let unknown = try await send(["items": [["product_id": "prd_nope", "quantity": 1]]])
            #expect(unknown.status == 404)
            #expect(unknown.json["errors"]?.arrayValue?.first?["field"]?.stringValue == "items[0].product_id")
            let tooMany = try await send(["items": [["product_id": .string(kanne), "quantity": 2]]])
            #expect(tooMany.status == 409)
            #expect(tooMany.code == "out_of_stock")
            let coupon = try await send(["items": [["product_id": .string(kanne), "quantity": 1]], "coupon_id": "cpn_nope"])
            #expect(coupon.status == 422, "\(coupon.text)")
            #expect(coupon.code == "coupon_invalid")
            let empty = try await send([:])
            #expect(empty.status == 400)
            let anonymous = try await shop.server.send("POST", "/v1/orders/quote", json: ["from_cart": true])
            #expect(anonymous.status == 401)
            #expect(anonymous.header("WWW-Authenticate") == "Bearer")
            #expect(try await shop.stock(kanne) == 1)
        } catch {
            await shop.stop()
            throw error
        }
        await shop.stop()
    }

    @Test("hosts read campaigns to choose one for a drop; customers may not")
    func hostsReadCampaigns() async throws {
        let shop = try await Shop.start()
        do {
            let (host, _) = try await shop.server.signUp(roles: [.host])
            let (customer, _) = try await shop.server.signUp()
            let created = try await shop.server.send("POST", "/v1/campaigns", json: [
                "name": "Live", "discount": ["type": "fixed", "value": 300], "valid_from": "2026-01-01T00:00:00Z",
                "valid_until": "2030-01-01T00:00:00Z", "max_coupons": 10,
            ], token: shop.merchant)
            #expect(created.status == 201, "\(created.text)")
            let id = try #require(created.json["id"]?.stringValue)
            #expect(try await shop.server.send("GET", "/v1/campaigns", token: host).status == 200)
            #expect(try await shop.server.send("GET", "/v1/campaigns/\(id)", token: host).status == 200)
            #expect(try await shop.server.send("GET", "/v1/campaigns", token: customer).status == 403)
            let write = try await shop.server.send("PATCH", "/v1/campaigns/\(id)", json: ["status": "paused"], token: host)
            #expect(write.status == 403, "hosts only read")
        } catch {
            await shop.stop()
            throw error
        }
        await shop.stop()
    }
}
