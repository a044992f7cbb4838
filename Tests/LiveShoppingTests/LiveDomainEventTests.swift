import Core
import Storage
import Testing
import TestSupport

@Suite("Live shopping in the domain event log")
struct LiveDomainEventTests {
    @Test("start appends live.started and a pin appends pin.added to stream live:<id>; a refused pin appends nothing")
    func startAndPin() async throws {
        try await withApp { server in
            let live = try await LiveFixture(server)
            let productID = try await live.product(stock: 10, priceCents: 2500)
            let id = try await live.session()
            let refused = try await server.send("POST", "/v1/live-sessions/\(id)/pins", json: [
                "product_id": .string(productID), "flash_price_cents": 2500, "flash_quantity": 1,
            ], token: live.hostToken)
            #expect(refused.status == 400)
            let pin = try await server.send("POST", "/v1/live-sessions/\(id)/pins", json: [
                "product_id": .string(productID), "flash_price_cents": 1999, "flash_quantity": 4,
            ], token: live.hostToken)
            #expect(pin.status == 201)

            let events = try await server.database.read { db in
                try EventLog.events(stream: "live:" + id, after: 0, limit: 10, in: db)
            }
            #expect(events.map(\.name) == ["live.started", "pin.added"])
            #expect(events.map(\.sequence) == [1, 2])
            #expect(events.first?.data["session_id"]?.stringValue == id)
            #expect(events.first?.data["host_id"]?.stringValue == live.hostID)
            #expect(events.last?.data["pin_id"] == pin.json["id"])
            #expect(events.last?.data["product_id"]?.stringValue == productID)
            #expect(events.last?.data["flash_quantity"]?.intValue == 4)
        }
    }
}
