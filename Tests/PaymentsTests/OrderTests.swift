import Core
import Foundation
import Testing
import TestSupport

@Suite("Checkout in one step (API.md §6, §12)")
struct OrderTests {
    @Test("an order answers 201 with every documented field; stock and wallet move; the ledger balances")
    func checkout() async throws {
        let shop = try await Shop.start()
        do {
            let buyer = try await shop.buyer(funds: 10_000)
            let kanne = try await shop.product("Teekanne", price: 1990, stock: 5)
            let set = try await shop.product("Tee-Set", price: 500, stock: 5)
            let response = try await shop.order([(kanne, 2), (set, 1)], token: buyer.token)
            #expect(response.status == 201)
            let o = response.json
            #expect(o.id.hasPrefix("ord_"))
            #expect(o["account_id"] == .string(buyer.id))
            #expect(o["status"] == "paid")
            #expect(o["subtotal_cents"] == 4480)
            #expect(o["discount_cents"] == 0)
            #expect(o["total_cents"] == 4480)
            #expect(o["refunded_cents"] == 0)
            #expect(o["currency"] == .string(Money.currency))
            #expect(o["coupon_id"] == .null)
            #expect(o["live_session_id"] == .null)
            #expect(o["pin_id"] == .null)
            #expect(o["created_at"]?.stringValue?.hasSuffix("Z") == true)
            #expect(o["items"]?.arrayValue?.first == JSON.object([
                ("product_id", .string(kanne)), ("title", "Teekanne"), ("quantity", 2), ("unit_price_cents", 1990),
                ("line_total_cents", 3980), ("refunded_quantity", 0),
            ]))
            #expect(try await shop.balance(buyer.token) == 10_000 - 4480)
            #expect(try await shop.stock(kanne) == 3)
            #expect(try await shop.stock(set) == 4)
            let read = try await shop.server.send("GET", "/v1/orders/\(o.id)", token: buyer.token)
            #expect(read.json == o)
            #expect(try await shop.ledger()["balanced"] == true)
        } catch { Issue.record(error) }
        await shop.stop()
    }

    @Test("from_cart buys the cart at current prices and clears it; empty cart or items too is 400")
    func fromCart() async throws {
        let shop = try await Shop.start()
        do {
            let buyer = try await shop.buyer(funds: 10_000)
            let p = try await shop.product(price: 700)
            let empty = try await shop.server.send("POST", "/v1/orders", json: ["from_cart": true], token: buyer.token)
            #expect(empty.status == 400)
            _ = try await shop.server.send("PUT", "/v1/cart/items/\(p)", json: ["quantity": 3], token: buyer.token)
            let both = try await shop.server.send(
                "POST", "/v1/orders", json: ["from_cart": true, "items": [["product_id": .string(p), "quantity": 1]]],
                token: buyer.token
            )
            #expect(both.status == 400)
            _ = try await shop.server.send("PATCH", "/v1/products/\(p)", json: ["price_cents": 800], token: shop.merchant)
            let order = try await shop.server.send("POST", "/v1/orders", json: ["from_cart": true], token: buyer.token)
            #expect(order.status == 201)
            #expect(order.json["total_cents"] == 2400)
            let cart = try await shop.server.send("GET", "/v1/cart", token: buyer.token).json
            #expect(cart["items"] == [])
            #expect(cart["subtotal_cents"] == 0)
        } catch { Issue.record(error) }
        await shop.stop()
    }

    static let badBodies: [JSON] = [
        ["items": []], ["items": [["product_id": "p", "quantity": 0]]], ["items": [["product_id": "p", "quantity": 100]]],
        ["items": [["product_id": "p"]]], ["items": [["quantity": 1]]], ["items": "x"], [:], ["from_cart": false],
        ["items": [["product_id": "p", "quantity": 1, "price_cents": 1]]],
        ["items": [["product_id": "p", "quantity": 1], ["product_id": "p", "quantity": 1]]],
        ["items": [["product_id": "p", "quantity": 1]], "pin_id": "pin_1"],
        ["items": [["product_id": "p", "quantity": 1]], "total_cents": 1],
        ["items": .array(Array(repeating: ["product_id": "p", "quantity": 1], count: 51))],
    ]

    @Test("body rules: 1–50 lines, quantity 1–99, each product once, pin_id needs live_session_id")
    func bodyRules() async throws {
        let shop = try await Shop.start()
        do {
            let buyer = try await shop.buyer(funds: 1000)
            for body in Self.badBodies {
                let response = try await shop.server.send("POST", "/v1/orders", json: body, token: buyer.token)
                #expect(response.status == 400, "\(body.serializedString())")
                #expect(response.code == "invalid_request")
            }
            #expect(try await shop.balance(buyer.token) == 1000)
        } catch { Issue.record(error) }
        await shop.stop()
    }

    @Test("an unknown or inactive product is 404 naming the line; nothing changes")
    func unknownProduct() async throws {
        let shop = try await Shop.start()
        do {
            let buyer = try await shop.buyer(funds: 5000)
            let p = try await shop.product(stock: 5)
            let hidden = try await shop.product(stock: 5)
            _ = try await shop.server.send("PATCH", "/v1/products/\(hidden)", json: ["active": false], token: shop.merchant)
            let unknown = try await shop.order([(p, 1), ("prd_missing", 1)], token: buyer.token)
            #expect(unknown.status == 404)
            #expect(unknown.firstErrorField == "items[1].product_id")
            let inactive = try await shop.order([(hidden, 1)], token: buyer.token)
            #expect(inactive.status == 404)
            #expect(inactive.firstErrorField == "items[0].product_id")
            #expect(try await shop.stock(p) == 5)
            #expect(try await shop.balance(buyer.token) == 5000)
        } catch { Issue.record(error) }
        await shop.stop()
    }

    @Test("out of stock is 409 naming the line; insufficient funds is 402; both leave everything untouched")
    func failuresChangeNothing() async throws {
        let shop = try await Shop.start()
        do {
            let buyer = try await shop.buyer(funds: 2500)
            let a = try await shop.product(price: 1000, stock: 5)
            let b = try await shop.product(price: 100, stock: 2)
            let cartItem = try await shop.server.send("PUT", "/v1/cart/items/\(a)", json: ["quantity": 1], token: buyer.token)
            #expect(cartItem.status == 200)
            let stock = try await shop.order([(a, 1), (b, 3)], token: buyer.token)
            #expect(stock.status == 409)
            #expect(stock.code == "out_of_stock")
            #expect(stock.firstErrorField == "items[1].quantity")
            let coupon = try await shop.coupon(for: buyer.id, fixed: 100)
            let funds = try await shop.order([(a, 3)], token: buyer.token, coupon: coupon)
            #expect(funds.status == 402)
            #expect(funds.code == "insufficient_funds")
            // A wallet that never moved pays nothing either (a debit does not open it first).
            let never = try await shop.buyer()
            let unfunded = try await shop.order([(b, 1)], token: never.token)
            #expect(unfunded.status == 402 && unfunded.code == "insufficient_funds", "\(unfunded.text)")
            #expect(try await shop.balance(never.token) == 0)
            #expect(try await shop.stock(a) == 5)
            #expect(try await shop.stock(b) == 2)
            #expect(try await shop.balance(buyer.token) == 2500)
            // The coupon was not used up by the failed order.
            let ok = try await shop.order([(a, 2)], token: buyer.token, coupon: coupon)
            #expect(ok.status == 201)
            #expect(ok.json["discount_cents"] == 100)
            #expect(try await shop.balance(buyer.token) == 600)
            let cart = try await shop.server.send("GET", "/v1/cart", token: buyer.token)
            #expect(cart.json["items"]?.arrayValue?.count == 1, "an items order leaves the cart alone")
        } catch { Issue.record(error) }
        await shop.stop()
    }

    @Test("a coupon discounts the order once; marketing spend funds the discount; reasons for bad coupons")
    func coupons() async throws {
        let shop = try await Shop.start()
        do {
            let buyer = try await shop.buyer(funds: 10_000)
            let other = try await shop.buyer()
            let p = try await shop.product(price: 1999, stock: 50)
            let percent = try await shop.coupon(for: buyer.id, percent: 15)
            let order = try await shop.order([(p, 1)], token: buyer.token, coupon: percent)
            #expect(order.status == 201)
            #expect(order.json["discount_cents"] == 299)  // ⌊1999 × 15 / 100⌋
            #expect(order.json["total_cents"] == 1700)
            #expect(order.json["coupon_id"] == .string(percent))
            let balances = try await shop.server.database.read { db in
                try db.query("SELECT id, balance_cents FROM ledger_accounts WHERE kind <> 'wallet'").map {
                    ($0.string("id"), $0.int64("balance_cents"))
                }
            }
            #expect(balances.first { $0.0 == "merchant:revenue" }?.1 == 1999)
            #expect(balances.first { $0.0 == "marketing:spend" }?.1 == -299)
            let reused = try await shop.order([(p, 1)], token: buyer.token, coupon: percent)
            #expect(reused.status == 422)
            #expect(reused.json["reason"] == "already_redeemed")
            let notMine = try await shop.order([(p, 1)], token: buyer.token, coupon: try await shop.coupon(for: other.id, fixed: 1))
            #expect(notMine.json["reason"] == "not_owner")
            #expect(try await shop.order([(p, 1)], token: buyer.token, coupon: "cpn_nope").json["reason"] == "not_owner")
            let minSpend = try await shop.coupon(for: buyer.id, fixed: 100, minSpend: 5000)
            #expect(try await shop.order([(p, 1)], token: buyer.token, coupon: minSpend).json["reason"] == "min_spend_not_met")
            let paused = try await shop.coupon(for: buyer.id, fixed: 100, status: "paused")
            #expect(try await shop.order([(p, 1)], token: buyer.token, coupon: paused).json["reason"] == "paused")
            let expired = try await shop.coupon(for: buyer.id, fixed: 100, validUntilOffset: -10)
            #expect(try await shop.order([(p, 1)], token: buyer.token, coupon: expired).json["reason"] == "expired")
            let huge = try await shop.coupon(for: buyer.id, fixed: 100_000)
            let free = try await shop.order([(p, 2)], token: buyer.token, coupon: huge)
            #expect(free.status == 201)
            #expect(free.json["total_cents"] == 0)
            #expect(free.json["discount_cents"] == 3998)
            #expect(try await shop.balance(buyer.token) == 10_000 - 1700)
            #expect(try await shop.stock(p) == 47)
            #expect(try await shop.ledger()["balanced"] == true)
        } catch { Issue.record(error) }
        await shop.stop()
    }

    @Test("live_session_id answers 404 naming it until live shopping is wired in")
    func liveSession() async throws {
        let shop = try await Shop.start()
        do {
            let buyer = try await shop.buyer(funds: 1000)
            let p = try await shop.product(price: 100)
            let response = try await shop.server.send(
                "POST", "/v1/orders",
                json: ["items": [["product_id": .string(p), "quantity": 1]], "live_session_id": "live_x", "pin_id": "pin_x"],
                token: buyer.token
            )
            if shop.server.services.orders.liveCheckout == nil {
                #expect(response.status == 404)
                #expect(response.firstErrorField == "live_session_id")
            } else {
                #expect(response.status == 404)
            }
            #expect(try await shop.balance(buyer.token) == 1000)
        } catch { Issue.record(error) }
        await shop.stop()
    }

    @Test("Idempotency-Key replays an order without charging twice; a different body is 422")
    func idempotentOrder() async throws {
        let shop = try await Shop.start()
        do {
            let buyer = try await shop.buyer(funds: 5000)
            let p = try await shop.product(price: 1000, stock: 10)
            let first = try await shop.order([(p, 2)], token: buyer.token, key: "order-1")
            let again = try await shop.order([(p, 2)], token: buyer.token, key: "order-1")
            #expect(first.status == 201)
            #expect(again.status == 201)
            #expect(again.body == first.body)
            #expect(again.header("Idempotent-Replayed") == "true")
            #expect(try await shop.balance(buyer.token) == 3000)
            #expect(try await shop.stock(p) == 8)
            let changed = try await shop.order([(p, 1)], token: buyer.token, key: "order-1")
            #expect(changed.status == 422)
            // A domain error is stored and replayed too.
            let broke = try await shop.order([(p, 5)], token: buyer.token, key: "order-2")
            #expect(broke.status == 402)
            _ = try await shop.topUp(10_000, token: buyer.token)
            let replayed = try await shop.order([(p, 5)], token: buyer.token, key: "order-2")
            #expect(replayed.status == 402)
            #expect(replayed.header("Idempotent-Replayed") == "true")
        } catch { Issue.record(error) }
        await shop.stop()
    }

    @Test("orders are private: own list and reads; merchants and admins see all (?all=true)")
    func visibility() async throws {
        let shop = try await Shop.start()
        do {
            let alice = try await shop.buyer(funds: 5000)
            let bob = try await shop.buyer(funds: 5000)
            let p = try await shop.product(price: 100)
            let a1 = try await shop.order([(p, 1)], token: alice.token).json.id
            let a2 = try await shop.order([(p, 2)], token: alice.token).json.id
            let b1 = try await shop.order([(p, 1)], token: bob.token).json.id
            let mine = try await shop.server.send("GET", "/v1/orders", token: alice.token).json
            #expect(Set(mine["data"]?.arrayValue?.map(\.id) ?? []) == [a1, a2])
            #expect(mine["next_cursor"] == .null)
            let ignored = try await shop.server.send("GET", "/v1/orders?all=true", token: alice.token).json
            #expect(Set(ignored["data"]?.arrayValue?.map(\.id) ?? []) == [a1, a2])
            #expect(try await shop.server.send("GET", "/v1/orders/\(b1)", token: alice.token).status == 404)
            #expect(try await shop.refund(b1, token: alice.token).status == 404)
            #expect(try await shop.server.send("GET", "/v1/orders/\(b1)", token: shop.merchant).status == 200)
            let all = try await shop.server.send("GET", "/v1/orders?all=true", token: shop.admin).json
            #expect(Set(all["data"]?.arrayValue?.map(\.id) ?? []) == [a1, a2, b1])
            let paged = try await shop.server.send("GET", "/v1/orders?all=true&limit=2", token: shop.merchant).json
            #expect(paged["data"]?.arrayValue?.count == 2)
            #expect(paged["next_cursor"]?.stringValue != nil)
            #expect(try await shop.server.send("GET", "/v1/orders").status == 401)
        } catch { Issue.record(error) }
        await shop.stop()
    }
}
