import Core
import Foundation
import Testing
import TestSupport

@Suite("Pins and flash deals")
struct PinTests {
    @Test("a flash pin takes its units from stock, shows them, and DELETE returns the unsold ones")
    func pinAndUnpin() async throws {
        try await withApp { server in
            let live = try await LiveFixture(server)
            let productID = try await live.product(stock: 10, priceCents: 2500)
            let id = try await live.session()
            let pin = try await server.send("POST", "/v1/live-sessions/\(id)/pins", json: [
                "product_id": .string(productID), "flash_price_cents": 1999, "flash_quantity": 4,
            ], token: live.hostToken)
            #expect(pin.status == 201)
            let json = pin.json
            for key in ["id", "product", "flash_price_cents", "flash_quantity", "remaining", "ends_at", "currency", "created_at"] {
                #expect(json[key] != nil, "missing \(key)")
            }
            #expect(json["id"]?.stringValue?.hasPrefix("pin_") == true)
            #expect(json["product"]?["id"]?.stringValue == productID)
            #expect(json["flash_price_cents"]?.intValue == 1999)
            #expect(json["remaining"]?.intValue == 4)
            #expect(json["ends_at"] == .null)
            #expect(json["currency"]?.stringValue == "EUR")
            #expect(try await live.stock(of: productID) == 6)
            let session = try await server.send("GET", "/v1/live-sessions/\(id)")
            #expect(session.json["pins"]?.arrayValue?.count == 1)

            let pinID = try #require(json["id"]?.stringValue)
            let deleted = try await server.send("DELETE", "/v1/live-sessions/\(id)/pins/\(pinID)", token: live.hostToken)
            #expect(deleted.status == 204)
            #expect(try await live.stock(of: productID) == 10)
            #expect(try await server.send("GET", "/v1/live-sessions/\(id)").json["pins"] == .array([]))
            let again = try await server.send("DELETE", "/v1/live-sessions/\(id)/pins/\(pinID)", token: live.hostToken)
            #expect(again.status == 404)
        }
    }

    @Test("pin validation: unknown product 404, more flash units than stock 409 out_of_stock, half a deal 400")
    func pinRules() async throws {
        try await withApp { server in
            let live = try await LiveFixture(server)
            let productID = try await live.product(stock: 3)
            let id = try await live.session()
            let unknown = try await server.send(
                "POST", "/v1/live-sessions/\(id)/pins", json: ["product_id": "prd_nope"], token: live.hostToken
            )
            #expect(unknown.status == 404)
            let tooMany = try await server.send("POST", "/v1/live-sessions/\(id)/pins", json: [
                "product_id": .string(productID), "flash_price_cents": 100, "flash_quantity": 4,
            ], token: live.hostToken)
            #expect(tooMany.status == 409)
            #expect(tooMany.code == "out_of_stock")
            #expect(try await live.stock(of: productID) == 3)
            let half = try await server.send("POST", "/v1/live-sessions/\(id)/pins", json: [
                "product_id": .string(productID), "flash_price_cents": 100,
            ], token: live.hostToken)
            #expect(half.status == 400)
            let plain = try await server.send(
                "POST", "/v1/live-sessions/\(id)/pins", json: ["product_id": .string(productID)], token: live.hostToken
            )
            #expect(plain.status == 201)
            #expect(plain.json["flash_price_cents"] == .null)
            #expect(plain.json["remaining"] == .null)
        }
    }

    @Test("20 buyers racing for 5 flash units: exactly 5 pay the flash price, and the stock adds up")
    func flashRace() async throws {
        try await withServer { server in
            let live = try await LiveFixture(server)
            let productID = try await live.product(stock: 12, priceCents: 2500)
            let id = try await live.session()
            let pin = try await server.send("POST", "/v1/live-sessions/\(id)/pins", json: [
                "product_id": .string(productID), "flash_price_cents": 999, "flash_quantity": 5,
            ], token: live.hostToken)
            let pinID = try #require(pin.json["id"]?.stringValue)
            var buyers: [String] = []
            for _ in 0..<20 { buyers.append(try await live.buyer().token) }
            let results = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for token in buyers {
                    group.addTask {
                        try await server.send("POST", "/v1/orders", json: [
                            "items": [["product_id": .string(productID), "quantity": 1]],
                            "live_session_id": .string(id), "pin_id": .string(pinID),
                        ], token: token)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let paid = results.filter { $0.status == 201 }
            #expect(paid.count == 5)
            #expect(results.filter { $0.code == "sold_out" }.count == 15)
            for order in paid {
                #expect(order.json["items"]?.arrayValue?.first?["unit_price_cents"]?.intValue == 999)
                #expect(order.json["live_session_id"]?.stringValue == id)
            }
            #expect(try await live.stock(of: productID) == 7)
            let shown = try await server.send("GET", "/v1/live-sessions/\(id)")
            #expect(shown.json["pins"]?.arrayValue?.first?["remaining"]?.intValue == 0)

            #expect(try await server.send("DELETE", "/v1/live-sessions/\(id)/pins/\(pinID)", token: live.hostToken).status == 204)
            #expect(try await live.stock(of: productID) == 7)
            let late = try await server.send("POST", "/v1/orders", json: [
                "items": [["product_id": .string(productID), "quantity": 1]],
                "live_session_id": .string(id), "pin_id": .string(pinID),
            ], token: buyers[0])
            #expect(late.code == "sold_out")

            let stats = try await server.send("GET", "/v1/live-sessions/\(id)/stats", token: live.hostToken)
            #expect(stats.json["orders"]?.intValue == 5)
            #expect(stats.json["units_sold"]?.intValue == 5)
            #expect(stats.json["gmv_cents"]?.intValue == Int64(5 * 999))
            #expect(stats.json["currency"]?.stringValue == "EUR")
        }
    }

    @Test("unsold flash units go back when the session ends, and GMV is net of refunds")
    func endReturnsUnits() async throws {
        try await withApp { server in
            let live = try await LiveFixture(server)
            let productID = try await live.product(stock: 10, priceCents: 2500)
            let id = try await live.session()
            let pin = try await server.send("POST", "/v1/live-sessions/\(id)/pins", json: [
                "product_id": .string(productID), "flash_price_cents": 1000, "flash_quantity": 6,
            ], token: live.hostToken)
            let pinID = try #require(pin.json["id"]?.stringValue)
            let buyer = try await live.buyer()
            let order = try await server.send("POST", "/v1/orders", json: [
                "items": [["product_id": .string(productID), "quantity": 2]],
                "live_session_id": .string(id), "pin_id": .string(pinID),
            ], token: buyer.token)
            #expect(order.status == 201)
            let orderID = try #require(order.json["id"]?.stringValue)
            let tooMany = try await server.send("POST", "/v1/orders", json: [
                "items": [["product_id": .string(productID), "quantity": 5]],
                "live_session_id": .string(id), "pin_id": .string(pinID),
            ], token: buyer.token)
            #expect(tooMany.code == "sold_out")
            #expect(try await live.stock(of: productID) == 4)
            #expect(try await server.send("POST", "/v1/live-sessions/\(id)/end", token: live.hostToken).status == 200)
            #expect(try await live.stock(of: productID) == 8)
            let refund = try await server.send(
                "POST", "/v1/orders/\(orderID)/refunds",
                json: ["items": [["product_id": .string(productID), "quantity": 1]], "reason": "broken"], token: buyer.token
            )
            #expect(refund.status == 201)
            let stats = try await server.send("GET", "/v1/live-sessions/\(id)/stats", token: live.hostToken)
            #expect(stats.json["gmv_cents"]?.intValue == 1000)
            #expect(stats.json["units_sold"]?.intValue == 2)
        }
    }

    @Test("a pin with duration_seconds ends by itself and returns its unsold units")
    func expiry() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_900_000_000))
        try await withServer(clock: clock) { server in
            let live = try await LiveFixture(server)
            let productID = try await live.product(stock: 10)
            let id = try await live.session()
            let stream = try await live.stream(id)
            let pin = try await server.send("POST", "/v1/live-sessions/\(id)/pins", json: [
                "product_id": .string(productID), "flash_price_cents": 500, "flash_quantity": 3, "duration_seconds": 60,
            ], token: live.hostToken)
            #expect(pin.json["ends_at"]?.stringValue == Timestamp.format(epochSeconds: 1_900_000_060))
            let pinID = try #require(pin.json["id"]?.stringValue)
            #expect(try await stream.waitFor("pin.added").json["id"]?.stringValue == pinID)
            clock.advance(by: 61)
            // The pin is no longer shown at once; the timer returns its units within a second or so.
            #expect(try await server.send("GET", "/v1/live-sessions/\(id)").json["pins"] == .array([]))
            let removed = try await stream.waitFor("pin.removed")
            #expect(removed.json["pin_id"]?.stringValue == pinID)
            #expect(try await live.stock(of: productID) == 10)
        }
    }
}
