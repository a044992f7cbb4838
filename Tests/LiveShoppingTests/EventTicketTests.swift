import Core
import Foundation
import Testing
import TestSupport

/// Event-stream tickets (API.md §24): what a browser's EventSource uses instead of an Authorization header.
@Suite("Event-stream tickets")
struct EventTicketTests {
    @Test("a live stream opened with a ticket counts its account as a viewer; the ticket works once")
    func ticketViewer() async throws {
        try await withServer { server in
            let live = try await LiveFixture(server)
            let id = try await live.session()
            let (viewer, _) = try await server.signUp()
            let issued = try await server.send("POST", "/v1/event-tickets", token: viewer)
            #expect(issued.status == 201)
            let ticket = try #require(issued.json["ticket"]?.stringValue)
            #expect(issued.json["expires_at"]?.stringValue != nil)
            #expect(try await server.send("POST", "/v1/event-tickets").status == 401)

            let stream = try await SSEClient.connect(port: server.port, path: "/v1/live-sessions/\(id)/events?ticket=\(ticket)")
            #expect(stream.status == 200)
            let again = try await server.send("GET", "/v1/live-sessions/\(id)/events?ticket=\(ticket)")
            #expect(again.status == 401, "single use")
            #expect(try await server.send("GET", "/v1/live-sessions/\(id)/events?ticket=not-a-ticket-at-all").status == 401)
            let stats = try await server.send("GET", "/v1/live-sessions/\(id)/stats", token: live.hostToken)
            #expect(stats.json["unique_viewers"] == 1)
            // The viewer buys: a ticket-holding viewer counts in the conversion rate.
            let product = try await live.product(stock: 5)
            let topUp = try await server.send("POST", "/v1/wallet/top-ups", json: ["amount_cents": 10_000, "method": "sandbox"], token: viewer)
            #expect(topUp.status == 201)
            let order = try await server.send("POST", "/v1/orders", json: [
                "items": [["product_id": .string(product), "quantity": 1]], "live_session_id": .string(id),
            ], token: viewer)
            #expect(order.status == 201)
            let after = try await server.send("GET", "/v1/live-sessions/\(id)/stats", token: live.hostToken)
            #expect(after.json["conversion_rate"] == .double(1))
            withExtendedLifetime(stream) {}
        }
    }
}
