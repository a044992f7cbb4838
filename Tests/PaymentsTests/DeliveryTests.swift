import App
import Core
import Foundation
import Storage
import Testing
import TestSupport

/// API.md §15 over HTTP: addresses, shipments, deliveries, the refund window from delivery and delay detection,
/// with the test clock of §13.
@Suite("Delivery: addresses, shipments, delays")
struct DeliveryTests {
    static let address: JSON = [
        "name": "Anna Schmidt", "line1": "Hauptstraße 1", "postal_code": "10115", "city": "Berlin", "country": "de",
    ]

    @Test("addresses: created newest first, country upper-cased, 20 at most, deleted; another's is 404 at checkout")
    func addresses() async throws {
        let shop = try await Shop.start()
        do {
            let buyer = try await shop.buyer(funds: 5_000)
            let created = try await shop.server.send("POST", "/v1/me/addresses", json: Self.address, token: buyer.token)
            #expect(created.status == 201, "\(created.text)")
            #expect(created.json["id"]?.stringValue?.hasPrefix("adr_") == true)
            #expect(created.json["country"] == "DE")
            #expect(created.json["line2"] == .null)
            let bad = try await shop.server.send(
                "POST", "/v1/me/addresses", json: ["name": "X", "line1": "Y", "postal_code": "1", "city": "Z", "country": "D1"],
                token: buyer.token
            )
            #expect(bad.status == 400)
            #expect(bad.firstErrorField == "country")
            for _ in 0..<19 {
                #expect(try await shop.server.send("POST", "/v1/me/addresses", json: Self.address, token: buyer.token).status == 201)
            }
            let full = try await shop.server.send("POST", "/v1/me/addresses", json: Self.address, token: buyer.token)
            #expect(full.status == 409)
            #expect(full.code == "limit_reached")
            let list = try await shop.server.send("GET", "/v1/me/addresses", token: buyer.token)
            #expect(list.json["data"]?.arrayValue?.count == 20)

            let other = try await shop.buyer(funds: 5_000)
            let product = try await shop.product(price: 1000, stock: 5)
            let addressID = try #require(created.json["id"]?.stringValue)
            let foreign = try await shop.server.send("POST", "/v1/orders", json: [
                "items": [["product_id": .string(product), "quantity": 1]], "address_id": .string(addressID),
            ], token: other.token)
            #expect(foreign.status == 404)
            #expect(foreign.firstErrorField == "address_id")
            #expect(try await shop.stock(product) == 5)

            let order = try await shop.server.send("POST", "/v1/orders", json: [
                "items": [["product_id": .string(product), "quantity": 1]], "address_id": .string(addressID),
            ], token: buyer.token)
            #expect(order.status == 201)
            #expect(order.json["shipping_address"]?["city"] == "Berlin")
            #expect(order.json["fulfillment_status"] == "unfulfilled")
            #expect(order.json["delivered_at"] == .null)
            let deleted = try await shop.server.send("DELETE", "/v1/me/addresses/\(addressID)", token: buyer.token)
            #expect(deleted.status == 204)
            #expect(try await shop.server.send("DELETE", "/v1/me/addresses/\(addressID)", token: buyer.token).status == 404)
            let kept = try await shop.server.send("GET", "/v1/orders/\(order.json.id)", token: buyer.token)
            #expect(kept.json["shipping_address"]?["line1"] == "Hauptstraße 1", "the order keeps its copy")
        } catch {
            await shop.stop()
            throw error
        }
        await shop.stop()
    }

    @Test("shipping: some units, then the rest; more than is left is 409; a refund after shipping returns stock")
    func shipping() async throws {
        try await shipAndReturn()
        try await returnAfterDelivery()
    }

    func shipAndReturn() async throws {
        let shop = try await Shop.start()
        do {
            let buyer = try await shop.buyer(funds: 10_000)
            let kanne = try await shop.product("Teekanne", price: 1000, stock: 10)
            let tasse = try await shop.product("Tasse", price: 300, stock: 10)
            let order = try await shop.order([(kanne, 3), (tasse, 1)], token: buyer.token)
            let id = order.json.id
            let ship = { (body: JSON) in
                try await shop.server.send("POST", "/v1/orders/\(id)/shipments", json: body, token: shop.merchant)
            }
            let base: [(String, JSON)] = [("carrier", "DHL"), ("tracking_number", "JJD0001"), ("promised_delivery_date", "2099-01-10")]
            let first = try await ship(.object(base + [("items", [["product_id": .string(kanne), "quantity": 2]])]))
            #expect(first.status == 201, "\(first.text)")
            #expect(first.json["id"]?.stringValue?.hasPrefix("shp_") == true)
            #expect(first.json["status"] == "shipped")
            #expect(first.json["delayed"] == false)
            #expect(try await shop.server.send("GET", "/v1/orders/\(id)", token: buyer.token).json["fulfillment_status"] == "partially_shipped")
            let tooMany = try await ship(.object(base + [("items", [["product_id": .string(kanne), "quantity": 2]])]))
            #expect(tooMany.status == 409)
            #expect(tooMany.code == "invalid_state")
            let asBuyer = try await shop.server.send("POST", "/v1/orders/\(id)/shipments", json: .object(base), token: buyer.token)
            #expect(asBuyer.status == 403)

            // The buyer refunds a teapot: stock comes back, and the refund takes the unshipped one first (§24), so
            // only the cup is left to ship.
            let refund = try await shop.refund(id, [(kanne, 1)], token: buyer.token)
            #expect(refund.status == 201, "\(refund.text)")
            #expect(try await shop.stock(kanne) == 8)
            let rest = try await ship(.object(base))
            #expect(rest.status == 201, "\(rest.text)")
            #expect(rest.json["items"] == [["product_id": .string(tasse), "quantity": 1]])
            let nothing = try await ship(.object(base))
            #expect(nothing.status == 409)
            #expect(try await shop.server.send("GET", "/v1/orders/\(id)", token: buyer.token).json["fulfillment_status"] == "shipped")

            for shipment in [first, rest] {
                let delivered = try await shop.server.send("POST", "/v1/shipments/\(shipment.json.id)/delivered", token: shop.merchant)
                #expect(delivered.status == 200)
                #expect(delivered.json["status"] == "delivered")
            }
            let twice = try await shop.server.send("POST", "/v1/shipments/\(first.json.id)/delivered", token: shop.merchant)
            #expect(twice.status == 409)
            let done = try await shop.server.send("GET", "/v1/orders/\(id)", token: buyer.token)
            #expect(done.json["fulfillment_status"] == "delivered")
            #expect(done.json["delivered_at"]?.stringValue != nil)
            let list = try await shop.server.send("GET", "/v1/orders/\(id)/shipments", token: buyer.token)
            #expect(list.json["data"]?.arrayValue?.count == 2)
            let (stranger, _) = try await shop.server.signUp()
            #expect(try await shop.server.send("GET", "/v1/orders/\(id)/shipments", token: stranger).status == 404)
            #expect(try await shop.ledger()["balanced"] == true)
        } catch {
            await shop.stop()
            throw error
        }
        await shop.stop()
    }

    @Test("the buyer's 14 days run from delivery: 13 days after fine, 15 days 422, never delivered still refundable")
    func refundWindow() async throws {
        let shop = try await Shop.start(testClock: true)
        do {
            let buyer = try await shop.buyer(funds: 10_000)
            let product = try await shop.product(price: 500, stock: 10)
            let delivered = try await shop.order([(product, 3)], token: buyer.token).json.id
            let undelivered = try await shop.order([(product, 1)], token: buyer.token).json.id
            let shipment = try await shop.server.send("POST", "/v1/orders/\(delivered)/shipments", json: [
                "carrier": "DHL", "tracking_number": "1", "promised_delivery_date": "2099-01-01",
            ], token: shop.merchant)
            #expect(try await shop.server.send("POST", "/v1/shipments/\(shipment.json.id)/delivered", token: shop.merchant).status == 200)
            try await advance(shop, days: 13)
            #expect(try await shop.refund(delivered, [(product, 1)], token: buyer.token).status == 201)
            try await advance(shop, days: 2)
            let late = try await shop.refund(delivered, [(product, 1)], token: buyer.token)
            #expect(late.status == 422)
            #expect(late.code == "refund_window_closed")
            #expect(try await shop.refund(delivered, [(product, 1)], token: shop.merchant).status == 201, "staff any time")
            #expect(try await shop.refund(undelivered, token: buyer.token).status == 201, "never delivered: any time")
        } catch {
            await shop.stop()
            throw error
        }
        await shop.stop()
    }

    @Test("a shipment undelivered past its promised day is flagged once, after a restart too; one delivered in time never")
    func delay() async throws {
        let path = TestServer.temporaryDatabasePath()
        defer { TestServer.removeDatabase(at: path) }
        var shop = try await Shop.startServer(databasePath: path, testClock: true)
        let buyer = try await shop.buyer(funds: 10_000)
        let product = try await shop.product(price: 500, stock: 10)
        let today = Self.today(shop)
        var shipments: [String] = []
        for _ in 0..<2 {
            let order = try await shop.order([(product, 1)], token: buyer.token).json.id
            let shipment = try await shop.server.send("POST", "/v1/orders/\(order)/shipments", json: [
                "carrier": "DHL", "tracking_number": "1", "promised_delivery_date": .string(today),
            ], token: shop.merchant)
            #expect(shipment.status == 201, "\(shipment.text)")
            shipments.append(shipment.json.id)
        }
        #expect(try await shop.server.send("POST", "/v1/shipments/\(shipments[1])/delivered", token: shop.merchant).status == 200)
        await shop.server.services.scheduler.runDue()
        #expect(try await Self.shipment(shipments[0], shop, buyer.token)["delayed"] == false, "not before the day ends")

        // Time passes while the server is down: the due check runs after the restart.
        await shop.stop(removeDatabase: false)
        let database = try Database(path: path)
        _ = try await database.write { db in try TestClockStore.advance(by: 2 * 86_400, in: db) }
        database.close()
        shop = try await Shop.startServer(databasePath: path, testClock: true)
        do {
            await shop.server.services.scheduler.runDue()
            await shop.server.services.scheduler.runDue()
            #expect(try await Self.shipment(shipments[0], shop, buyer.token)["delayed"] == true)
            #expect(try await Self.shipment(shipments[1], shop, buyer.token)["delayed"] == false)
            let delays = try await shop.server.database.read { db in
                try db.scalar("SELECT COUNT(*) FROM domain_events WHERE name = 'shipment.delayed'")
            }
            #expect(delays == 1, "flagged once")
        } catch {
            await shop.stop()
            throw error
        }
        await shop.stop()
    }

    static func shipment(_ id: String, _ shop: Shop<some TestApp>, _ token: String) async throws -> JSON {
        let row = try await shop.server.database.read { db in try db.queryOne("SELECT order_id FROM shipments WHERE id = ?", id) }
        let order = try #require(row?.string("order_id"))
        let list = try await shop.server.send("GET", "/v1/orders/\(order)/shipments", token: token)
        return try #require(list.json["data"]?.arrayValue?.first { $0.id == id })
    }

    /// Today in the deployment's time zone, by the server's own clock.
    static func today(_ shop: Shop<some TestApp>) -> String { CalendarDay.text(of: shop.server.services.clock.now()) }

    func advance(_ shop: Shop<some TestApp>, days: Int64) async throws {
        let moved = try await shop.server.send(
            "POST", "/v1/admin/test-clock", json: ["advance_seconds": .int(days * 86_400)], token: shop.admin
        )
        #expect(moved.status == 200, "\(moved.text)")
    }
}

extension DeliveryTests {
    /// A return of delivered goods: every unit shipped and delivered, one refunded, its stock back, still delivered.
    func returnAfterDelivery() async throws {
        let shop = try await Shop.start()
        do {
            let buyer = try await shop.buyer(funds: 10_000)
            let kanne = try await shop.product("Teekanne", price: 1000, stock: 5)
            let id = try await shop.order([(kanne, 2)], token: buyer.token).json.id
            let shipment = try await shop.server.send("POST", "/v1/orders/\(id)/shipments", json: [
                "carrier": "DHL", "tracking_number": "2", "promised_delivery_date": "2099-01-01",
            ], token: shop.merchant)
            #expect(shipment.json["items"] == [["product_id": .string(kanne), "quantity": 2]])
            #expect(try await shop.server.send("POST", "/v1/shipments/\(shipment.json.id)/delivered", token: shop.merchant).status == 200)
            #expect(try await shop.stock(kanne) == 3)
            #expect(try await shop.refund(id, [(kanne, 1)], token: buyer.token).status == 201)
            #expect(try await shop.stock(kanne) == 4, "the returned unit is back in stock")
            let order = try await shop.server.send("GET", "/v1/orders/\(id)", token: buyer.token)
            #expect(order.json["fulfillment_status"] == "delivered")
            #expect(order.json["delivered_at"]?.stringValue != nil)
        } catch {
            await shop.stop()
            throw error
        }
        await shop.stop()
    }
}
