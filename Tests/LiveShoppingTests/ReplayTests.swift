import Core
import Foundation
import Testing
import TestSupport

/// `GET /v1/live-sessions/{id}/replay` (API.md §22, §24): chapters from the pin timeline with per-chapter sales.
@Suite("Replays with chapters")
struct ReplayTests {
    @Test("chapters in pin order with offsets, orders carrying the pin, units and GMV net of refunds; 409 before the end")
    func chapters() async throws {
        try await withApp(testClock: true) { server in
            let live = try await LiveFixture(server)
            let admin = try await live.admin()
            let (teapot, cups, vase) = (
                try await live.product(stock: 10, priceCents: 2000), try await live.product(stock: 10, priceCents: 1000),
                try await live.product(stock: 1, priceCents: 9000)
            )
            let id = try await live.session()
            let notYet = try await server.send("GET", "/v1/live-sessions/\(id)/replay")
            #expect(notYet.status == 409)
            #expect(notYet.code == "invalid_state")
            #expect(try await server.send("GET", "/v1/live-sessions/live_nope/replay").status == 404)

            // Chapter 1 (0–30 s): a flash deal; one order of 2 units, one unit refunded. The clock also moves with real
            // time, so each pin's and unpin's moment is read around it.
            let flashFrom = live.now()
            let flash = try await server.send("POST", "/v1/live-sessions/\(id)/pins", json: [
                "product_id": .string(teapot), "flash_price_cents": 1500, "flash_quantity": 5,
            ], token: live.hostToken)
            let flashPin = try #require(flash.json["id"]?.stringValue)
            let flashTo = live.now()
            let anna = try await live.buyer()
            let bought = try await server.send("POST", "/v1/orders", json: [
                "items": [["product_id": .string(teapot), "quantity": 2]], "live_session_id": .string(id),
                "pin_id": .string(flashPin),
            ], token: anna.token)
            #expect(bought.status == 201, "\(bought.text)")
            let orderID = try #require(bought.json["id"]?.stringValue)
            let refund = try await server.send("POST", "/v1/orders/\(orderID)/refunds", json: [
                "items": [["product_id": .string(teapot), "quantity": 1]], "reason": "Broken",
            ], token: anna.token)
            #expect(refund.status == 201, "\(refund.text)")
            let ben = try await live.buyer()
            let cleo = try await live.buyer()
            try await live.advance(30, admin: admin)
            let unpinFrom = live.now()
            #expect(try await server.send("DELETE", "/v1/live-sessions/\(id)/pins/\(flashPin)", token: live.hostToken).status == 204)

            // Chapter 2 (30 s – end): a plain pin; one order through it, one in the session without a pin.
            let plainPin = try await live.pinID(id, product: cups)
            let plainTo = live.now()
            for pin in [JSON.string(plainPin), .null] {
                var body: [(String, JSON)] = [
                    ("items", [["product_id": .string(cups), "quantity": 1]]), ("live_session_id", .string(id)),
                ]
                if pin != .null { body.append(("pin_id", pin)) }
                #expect(try await server.send("POST", "/v1/orders", json: .object(body), token: ben.token).status == 201)
            }

            // Chapter 3 (90 s – end): an auction won at 7.00 € when the session ends.
            try await live.advance(60, admin: admin)
            let auctionFrom = live.now()
            let auctionPin = try await live.auctionPin(id, product: vase, starting: 700, increment: 100, duration: 600)
            let auctionTo = live.now()
            #expect(try await live.bid(id, auctionPin, token: cleo.token, amount: 700, max: 2000).status == 201)
            try await live.advance(20, admin: admin)
            #expect(try await server.send("POST", "/v1/live-sessions/\(id)/end", token: live.hostToken).status == 200)

            let replay = try await server.send("GET", "/v1/live-sessions/\(id)/replay")
            #expect(replay.status == 200, "\(replay.text)")
            let json = replay.json
            #expect(json["session_id"]?.stringValue == id)
            #expect(json["currency"] == "EUR")
            let startedAt = try #require(epochSeconds(json["started_at"]))
            let endedAt = try #require(epochSeconds(json["ended_at"]))
            #expect(endedAt - startedAt >= 110)
            let chapters = try #require(json["chapters"]?.arrayValue)
            #expect(chapters.map { $0["pin_id"]?.stringValue } == [flashPin, plainPin, auctionPin])
            #expect(chapters.map { $0["product"]?["id"]?.stringValue } == [teapot, cups, vase])
            #expect(chapters[0]["product"]?["title"] == "Teapot")
            #expect(chapters.map { $0["orders"] } == [1, 1, 1])
            #expect(chapters.map { $0["units_sold"] } == [1, 1, 1], "net of refunds")
            #expect(chapters.map { $0["gmv_cents"] } == [1500, 1000, 700], "net of refunds")
            func offsets(_ chapter: JSON) -> (Int64, Int64) {
                (chapter["start_offset_seconds"]?.intValue ?? -1, chapter["end_offset_seconds"]?.intValue ?? -1)
            }
            #expect((flashFrom - startedAt...flashTo - startedAt).contains(offsets(chapters[0]).0))
            #expect((unpinFrom - startedAt...plainTo - startedAt).contains(offsets(chapters[0]).1))
            #expect(offsets(chapters[0]).1 >= 30)
            #expect((unpinFrom - startedAt...plainTo - startedAt).contains(offsets(chapters[1]).0))
            #expect(offsets(chapters[1]).1 == endedAt - startedAt)
            #expect((auctionFrom - startedAt...auctionTo - startedAt).contains(offsets(chapters[2]).0))
            #expect(offsets(chapters[2]).0 >= 90)
            #expect(offsets(chapters[2]).1 == endedAt - startedAt, "the session's end closed the auction")

            let stats = try await server.send("GET", "/v1/live-sessions/\(id)/stats", token: live.hostToken).json
            #expect(stats["orders"] == 4, "three pinned orders, one without a pin")
            let gmv: Int64 = 1500 + 1000 + 1000 + 700
            #expect(stats["gmv_cents"]?.intValue == gmv)
        }
    }
}
