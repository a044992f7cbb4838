import Core
import Foundation
import Testing
import TestSupport

/// `--demo` shows a live auction at once (issue 23): an open auction pin in the demo session, led by Anna at the
/// proxy price, which closes into her order when its time is up.
@Suite("Demo data: a live auction")
struct DemoAuctionTests {
    @Test("the demo session has an open auction led by Anna at 11.00 € with her 18.00 € held; at its end she buys it")
    func demoAuction() async throws {
        let server = try await InProcessApp(demo: true, testClock: true)
        do {
            let sessions = try await server.send("GET", "/v1/live-sessions?status=live").json["data"]?.arrayValue ?? []
            let session = try #require(sessions.first)
            let sessionID = try #require(session["id"]?.stringValue)
            let pin = try #require(session["pins"]?.arrayValue?.first { ($0["auction"] ?? .null) != .null })
            let auction = try #require(pin["auction"])
            #expect(pin["product"]?["sku"] == "KAFF-TEEKANNE-2")
            #expect(auction["status"] == "open")
            #expect(auction["bids"] == 2)
            #expect(auction["current_bid_cents"] == 1100)
            #expect(auction["leader"]?["display_name"] == "Anna Schmidt")

            let login = try await server.send("POST", "/v1/sessions", json: ["email": "anna@basar.test", "password": "basar-anna-pass"])
            let anna = try #require(login.json["token"]?.stringValue)
            let admin = try #require(try await server.send(
                "POST", "/v1/sessions", json: ["email": "admin@basar.test", "password": "basar-admin-pass"]
            ).json["token"]?.stringValue)
            #expect(try await server.send("GET", "/v1/admin/ledger/check", token: admin).json["escrow_cents"] == 1800)

            // At most 600 s after start-up the scheduler closes it: Anna's hold becomes an order of 11.00 €.
            let moved = try await server.send("POST", "/v1/admin/test-clock", json: ["advance_seconds": 601], token: admin)
            #expect(moved.status == 200, "\(moved.text)")
            await server.app.dispatcher.catchUp()
            while await server.services.scheduler.runDue() {}
            let orders = try await server.send("GET", "/v1/orders", token: anna).json["data"]?.arrayValue ?? []
            let won = try #require(orders.first { $0["pin_id"]?.stringValue == pin["id"]?.stringValue })
            #expect(won["total_cents"] == 1100)
            #expect(won["live_session_id"]?.stringValue == sessionID)
            let check = try await server.send("GET", "/v1/admin/ledger/check", token: admin).json
            #expect(check["escrow_cents"] == 0)
            #expect(check["balanced"] == true)
        } catch {
            Issue.record(error)
        }
        await server.stop()
    }
}
