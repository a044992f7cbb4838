import Core
import Foundation
import Testing
import TestSupport

@Suite("Event streams")
struct EventStreamTests {
    @Test("events carry increasing ids, their names and payloads; the stream closes after session.ended")
    func namesIDsPayloads() async throws {
        try await withServer { server in
            let live = try await LiveFixture(server)
            let productID = try await live.product(stock: 10, priceCents: 2500)
            let campaignID = try await live.campaign()
            let id = try await live.session(start: false)
            let stream = try await live.stream(id)
            #expect(stream.header("Content-Type") == "text/event-stream")
            #expect(stream.header("Cache-Control") == "no-store")

            _ = try await server.send("POST", "/v1/live-sessions/\(id)/start", token: live.hostToken)
            let pin = try await server.send("POST", "/v1/live-sessions/\(id)/pins", json: [
                "product_id": .string(productID), "flash_price_cents": 999, "flash_quantity": 2,
            ], token: live.hostToken)
            let pinID = try #require(pin.json["id"]?.stringValue)
            let message = try await live.chat(id, "Schön!")
            let buyer = try await server.signUp(name: "Anna Maria Schmidt")
            _ = try await server.send("POST", "/v1/wallet/top-ups", json: ["amount_cents": 5000, "method": "sandbox"], token: buyer.token)
            let order = try await server.send("POST", "/v1/orders", json: [
                "items": [["product_id": .string(productID), "quantity": 1]],
                "live_session_id": .string(id), "pin_id": .string(pinID),
            ], token: buyer.token)
            #expect(order.status == 201)
            let drop = try await server.send(
                "POST", "/v1/live-sessions/\(id)/coupon-drops", json: ["campaign_id": .string(campaignID), "quantity": 2],
                token: live.hostToken
            )
            let dropID = try #require(drop.json["id"]?.stringValue)
            _ = try await server.send("POST", "/v1/live-sessions/\(id)/coupon-drops/\(dropID)/claims", token: buyer.token)
            _ = try await server.send("DELETE", "/v1/live-sessions/\(id)/pins/\(pinID)", token: live.hostToken)
            _ = try await server.send("POST", "/v1/live-sessions/\(id)/end", token: live.hostToken)

            let events = try await stream.numbered(9)
            #expect(events.map(\.name) == [
                "session.started", "pin.added", "message.created", "pin.updated", "order.placed",
                "coupon_drop.started", "coupon_drop.claimed", "pin.removed", "session.ended",
            ])
            #expect(try await stream.nextNumbered() == nil, "the server closes the stream after session.ended")
            let ids = events.compactMap(\.id)
            #expect(ids.count == events.count)
            #expect(ids == ids.sorted() && Set(ids).count == ids.count)
            #expect(events[0].json == ["session_id": .string(id), "status": "live"])
            #expect(events[1].json == pin.json)
            #expect(events[2].json == message.json)
            #expect(events[3].json == ["pin_id": .string(pinID), "remaining": 1])
            #expect(events[4].json == ["product_id": .string(productID), "quantity": 1, "display_name": "Anna"])
            #expect(events[5].json == ["drop_id": .string(dropID), "campaign_id": .string(campaignID), "quantity": 2])
            #expect(events[6].json == ["drop_id": .string(dropID), "remaining": 1])
            #expect(events[7].json == ["pin_id": .string(pinID)])
            #expect(events[8].json == ["session_id": .string(id), "status": "ended"])
        }
    }

    @Test("many streams on one session each receive every event of a fan-out once, in id order")
    func manyStreamsSameOrder() async throws {
        try await withServer { server in
            let live = try await LiveFixture(server)
            let productID = try await live.product(stock: 10)
            let id = try await live.session()
            var streams: [SSEClient] = []
            for _ in 0..<40 { streams.append(try await live.stream(id)) }
            for _ in 0..<5 {
                let pin = try await server.send(
                    "POST", "/v1/live-sessions/\(id)/pins", json: ["product_id": .string(productID)],
                    token: live.hostToken
                )
                let pinID = try #require(pin.json["id"]?.stringValue)
                _ = try await server.send("DELETE", "/v1/live-sessions/\(id)/pins/\(pinID)", token: live.hostToken)
            }
            _ = try await server.send("POST", "/v1/live-sessions/\(id)/end", token: live.hostToken)
            var first: [SSEEvent]?
            for stream in streams {
                let events = try await stream.numbered(11)
                let expected = Array(repeating: ["pin.added", "pin.removed"], count: 5).flatMap { $0 } + ["session.ended"]
                #expect(events.map(\.name) == expected)
                let ids = events.compactMap(\.id)
                #expect(ids.count == 11 && ids == ids.sorted() && Set(ids).count == 11)
                #expect(try await stream.nextNumbered() == nil, "closed after session.ended")
                if let first {
                    #expect(events.map(\.id) == first.map(\.id))
                } else {
                    first = events
                }
            }
        }
    }
}
