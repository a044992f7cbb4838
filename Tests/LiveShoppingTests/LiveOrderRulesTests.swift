import Core
import Foundation
import Testing
import TestSupport

/// API.md §14: flash prices below the list price, orders that name a session and pin only as they really are, and
/// a conversion rate that counts only buyers who watched.
@Suite("Live orders: flash bounds, pin and session rules, conversion")
struct LiveOrderRulesTests {
    @Test("a flash price must be 1 to below the product's price", arguments: [(Int64(2500), 400), (999_999, 400), (0, 400), (2499, 201), (1, 201)])
    func flashPriceBounds(price: Int64, status: Int) async throws {
        try await withApp { server in
            let live = try await LiveFixture(server)
            let productID = try await live.product(stock: 10, priceCents: 2500)
            let id = try await live.session()
            let pin = try await server.send("POST", "/v1/live-sessions/\(id)/pins", json: [
                "product_id": .string(productID), "flash_price_cents": .int(price), "flash_quantity": 2,
            ], token: live.hostToken)
            #expect(pin.status == status, "\(pin.text)")
            if status == 400 {
                #expect(pin.json["errors"]?.arrayValue?.first?["field"]?.stringValue == "flash_price_cents")
                #expect(try await live.stock(of: productID) == 10, "a refused pin takes no stock")
            }
        }
    }

    @Test("an order's pin must belong to its session and its product must be among the items")
    func pinRules() async throws {
        try await withApp { server in
            let live = try await LiveFixture(server)
            let teapot = try await live.product(stock: 10, priceCents: 2500)
            let cheese = try await live.product(stock: 10, priceCents: 1130)
            let first = try await live.session()
            let second = try await live.session(title: "Cheese")
            let pin = try await live.pinID(first, product: teapot)
            let (buyer, _) = try await live.buyer()

            let otherSession = try await server.send("POST", "/v1/orders", json: [
                "items": [["product_id": .string(teapot), "quantity": 1]],
                "live_session_id": .string(second), "pin_id": .string(pin),
            ], token: buyer)
            #expect(otherSession.status == 404)
            #expect(otherSession.json["errors"]?.arrayValue?.first?["field"]?.stringValue == "pin_id")

            let wrongItem = try await server.send("POST", "/v1/orders", json: [
                "items": [["product_id": .string(cheese), "quantity": 1]],
                "live_session_id": .string(first), "pin_id": .string(pin),
            ], token: buyer)
            #expect(wrongItem.status == 400)
            #expect(wrongItem.json["errors"]?.arrayValue?.first?["field"]?.stringValue == "pin_id")

            let unknown = try await server.send("POST", "/v1/orders", json: [
                "items": [["product_id": .string(cheese), "quantity": 1]], "live_session_id": "live_nope",
            ], token: buyer)
            #expect(unknown.status == 404)
            #expect(unknown.json["errors"]?.arrayValue?.first?["field"]?.stringValue == "live_session_id")

            let notStarted = try await live.session(start: false, title: "Later")
            let early = try await server.send("POST", "/v1/orders", json: [
                "items": [["product_id": .string(cheese), "quantity": 1]], "live_session_id": .string(notStarted),
            ], token: buyer)
            #expect(early.status == 409)
            #expect(early.code == "invalid_state")

            let stats = try await server.send("GET", "/v1/live-sessions/\(first)/stats", token: live.hostToken)
            #expect(stats.json["orders"]?.intValue == 0, "no refused order counts as live sales")
            #expect(try await live.stock(of: cheese) == 10)
        }
    }

    @Test("an order whose pin ended answers sold_out, also after the session ended")
    func endedPin() async throws {
        try await withApp { server in
            let live = try await LiveFixture(server)
            let teapot = try await live.product(stock: 10)
            let id = try await live.session()
            let pin = try await live.pinID(id, product: teapot)
            let (buyer, _) = try await live.buyer()
            let unpinned = try await server.send("DELETE", "/v1/live-sessions/\(id)/pins/\(pin)", token: live.hostToken)
            #expect(unpinned.status == 204)
            let order: JSON = [
                "items": [["product_id": .string(teapot), "quantity": 1]], "live_session_id": .string(id), "pin_id": .string(pin),
            ]
            let late = try await server.send("POST", "/v1/orders", json: order, token: buyer)
            #expect(late.status == 409)
            #expect(late.code == "sold_out")
            _ = try await server.send("POST", "/v1/live-sessions/\(id)/end", token: live.hostToken)
            let afterEnd = try await server.send("POST", "/v1/orders", json: order, token: buyer)
            #expect(afterEnd.code == "sold_out")
        }
    }

    @Test("conversion_rate counts only buyers who watched with their token, and never exceeds 1")
    func conversion() async throws {
        try await withServer { server in
            let live = try await LiveFixture(server)
            let teapot = try await live.product(stock: 50)
            let id = try await live.session()
            let (watcher, _) = try await live.buyer()
            let stream = try await live.stream(id, token: watcher)
            let anonymous = try await live.stream(id)
            // Three accounts buy in the session, but only one of them watched.
            for token in [watcher, try await live.buyer().token, try await live.buyer().token] {
                let order = try await server.send("POST", "/v1/orders", json: [
                    "items": [["product_id": .string(teapot), "quantity": 1]], "live_session_id": .string(id),
                ], token: token)
                #expect(order.status == 201, "\(order.text)")
            }
            let stats = try await server.send("GET", "/v1/live-sessions/\(id)/stats", token: live.hostToken)
            #expect(stats.json["unique_viewers"]?.intValue == 2)
            #expect(stats.json["orders"]?.intValue == 3)
            #expect(stats.json["conversion_rate"] == .double(0.5))
            withExtendedLifetime((stream, anonymous)) {}
        }
    }
}
