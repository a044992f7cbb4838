import Core
import Foundation
import Testing
import TestSupport

/// `GET /v1/me/events` (API.md §13, §24) on a real socket: what happens to the caller, numbered per account,
/// resumable with Last-Event-ID across a restart, and open with a ticket.
@Suite("Account event stream")
struct AccountEventStreamTests {
    @Test("an order and its inbox item arrive at once; one event has the same id on two open streams")
    func liveEvents() async throws {
        try await withServer { server in
            let live = try await LiveFixture(server)
            let product = try await live.product(stock: 5)
            let (token, accountID) = try await live.buyer()
            let first = try await SSEClient.connect(port: server.port, path: "/v1/me/events", token: token)
            #expect(first.status == 200)
            #expect(first.header("Content-Type") == "text/event-stream")
            let ticket = try #require(try await server.send("POST", "/v1/event-tickets", token: token).json["ticket"]?.stringValue)
            let second = try await SSEClient.connect(port: server.port, path: "/v1/me/events?ticket=\(ticket)")
            #expect(second.status == 200)
            let order = try await server.send("POST", "/v1/orders", json: ["items": [["product_id": .string(product), "quantity": 1]]], token: token)
            #expect(order.status == 201)
            let updated = try await first.waitFor("order.updated")
            #expect(updated.json["id"] == order.json["id"])
            #expect(updated.json["account_id"]?.stringValue == accountID)
            let item = try await first.waitFor("inbox.created")
            #expect(item.json["category"] == "order")
            #expect((item.id ?? 0) > (updated.id ?? 0))
            let same = try await second.waitFor("order.updated")
            #expect(same.id == updated.id, "one event, one id on every stream of the account")
            #expect(try await server.send("GET", "/v1/me/events").status == 401)
            withExtendedLifetime((first, second)) {}
        }
    }

    @Test("Last-Event-ID resumes after a restart with exactly the events missed, none repeated")
    func resume() async throws {
        let path = TestServer.temporaryDatabasePath()
        defer { TestServer.removeDatabase(at: path) }
        var server = try await TestServer(databasePath: path)
        let live = try await LiveFixture(server)
        let product = try await live.product(stock: 10)
        let (token, _) = try await live.buyer()
        let stream = try await SSEClient.connect(port: server.port, path: "/v1/me/events", token: token)
        _ = try await server.send("POST", "/v1/orders", json: ["items": [["product_id": .string(product), "quantity": 1]]], token: token)
        let seen = try await stream.waitFor("order.updated")
        let lastID = try #require(seen.id)
        stream.disconnect()
        // Two more orders while nobody listens, then a restart.
        for _ in 0..<2 {
            _ = try await server.send("POST", "/v1/orders", json: ["items": [["product_id": .string(product), "quantity": 1]]], token: token)
        }
        await server.app.dispatcher.catchUp()
        await server.stop(removeDatabase: false)
        server = try await TestServer(databasePath: path)
        do {
            let resumed = try await SSEClient.connect(port: server.port, path: "/v1/me/events", token: token, lastEventID: String(lastID))
            var names: [String] = []
            var ids: [Int64] = []
            while names.filter({ $0 == "order.updated" }).count < 2 || names.filter({ $0 == "inbox.created" }).count < 3 {
                guard let event = try await resumed.nextNumbered(timeout: 10) else { break }
                names.append(event.name ?? "")
                ids.append(event.id ?? -1)
            }
            #expect(names.filter { $0 == "order.updated" }.count == 2)
            #expect(ids == ids.sorted() && Set(ids).count == ids.count, "increasing, no repeats: \(ids)")
            #expect(ids.allSatisfy { $0 > lastID })
            withExtendedLifetime(resumed) {}
        } catch {
            Issue.record(error)
        }
        await server.stop()
    }
}

@Suite("Account event stream: shipments and conversations")
struct AccountStreamDeliveryTests {
    @Test("a shipment shows as shipment.updated; an agent's answer as conversation.message")
    func shipmentAndConversation() async throws {
        try await withServer { server in
            let live = try await LiveFixture(server)
            let product = try await live.product(stock: 5)
            let (token, _) = try await live.buyer()
            let (merchant, _) = try await server.signUp(roles: [.merchant])
            let (agent, _) = try await server.signUp(roles: [.agent])
            let stream = try await SSEClient.connect(port: server.port, path: "/v1/me/events", token: token)
            let order = try await server.send("POST", "/v1/orders", json: ["items": [["product_id": .string(product), "quantity": 1]]], token: token)
            let orderID = try #require(order.json["id"]?.stringValue)
            let shipment = try await server.send("POST", "/v1/orders/\(orderID)/shipments", json: [
                "carrier": "DHL", "tracking_number": "JJD7", "promised_delivery_date": "2099-01-01",
            ], token: merchant)
            #expect(shipment.status == 201)
            let shipped = try await stream.waitFor("shipment.updated")
            #expect(shipped.json["id"] == shipment.json["id"])
            #expect(shipped.json["status"] == "shipped")
            let conversation = try await server.send("POST", "/v1/conversations", json: ["subject": "Wo?", "text": "Hallo"], token: token)
            let id = try #require(conversation.json["id"]?.stringValue)
            _ = try await server.send("POST", "/v1/conversations/\(id)/messages", json: ["text": "Unterwegs."], token: agent)
            let message = try await stream.waitFor("conversation.message")
            #expect(message.json["conversation_id"]?.stringValue == id)
            #expect(message.json["author"]?["role"] == "agent")
            withExtendedLifetime(stream) {}
        }
    }
}
