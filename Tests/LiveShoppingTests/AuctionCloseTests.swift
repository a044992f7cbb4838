import Core
import Foundation
import LiveShopping
import Storage
import Testing
import TestSupport

/// Closing auctions (API.md §22, §24): soft close and the scheduler on the test clock, a close across a restart,
/// unsold units back to stock, and the `auction.*` events on the session's stream.
@Suite("Auctions: soft close and closing")
struct AuctionCloseTests {
    @Test("soft close: a bid in the last 10 s moves ends_at to 10 s after it; the scheduler closes at the new end")
    func softClose() async throws {
        try await withServer(testClock: true) { server in
            let live = try await LiveFixture(server)
            let admin = try await live.admin()
            let productID = try await live.product(stock: 1, priceCents: 9000)
            let id = try await live.session()
            let pinID = try await live.auctionPin(id, product: productID, starting: 500, increment: 50, duration: 60)
            let firstEnd = try #require(epochSeconds(try await live.auction(id, pinID)?["ends_at"]))
            // Both bidders exist before the clock moves: signing up hashes a password, slow on a busy machine.
            let buyer = try await live.buyer()
            let rival = try await live.buyer()

            // Early in the auction a bid leaves the end alone.
            let early = try await live.bid(id, pinID, token: buyer.token, amount: 500, max: 1000)
            #expect(early.status == 201)
            #expect(epochSeconds(early.json["ends_at"]) == firstEnd)

            // 5 s before the end a rival's bid moves it to 10 s after the bid, and the scheduled close with it.
            try await live.advance(max(1, firstEnd - live.now() - 5), admin: admin)
            let before = live.now()
            let late = try await live.bid(id, pinID, token: rival.token, amount: 850)
            #expect(late.status == 201, "\(late.text)")
            let movedEnd = try #require(epochSeconds(late.json["ends_at"]))
            #expect(movedEnd > firstEnd)
            #expect(movedEnd >= before + 10 && movedEnd <= live.now() + 10)
            #expect(epochSeconds(try await live.auction(id, pinID)?["ends_at"]) == movedEnd)
            let job = try await server.database.read { db in
                try Scheduler.job(LiveService.auctionCloseJob, key: pinID, in: db)
            }
            #expect(job?.dueAt == movedEnd)

            // Past the first end the auction is still open; past the moved end the scheduler closes it.
            try await live.advance(max(1, firstEnd - live.now() + 1), admin: admin)
            // Whatever is due now runs here, so "still open" is a fact about the scheduler, not about a wait.
            while await server.services.scheduler.runDue() {}
            if live.now() < movedEnd { #expect(try await live.auction(id, pinID)?["status"] == "open") }
            try await live.advance(max(1, movedEnd - live.now() + 1), admin: admin)
            #expect(try await eventually { try await live.auction(id, pinID) == nil }, "the pin ends when the auction closes")
            let order = try #require(try await live.orders(buyer.token).first)
            #expect(order["total_cents"] == 900, "the rival's maximum of 850 plus the increment")
            #expect(try await live.balance(buyer.token) == 10_000 - 900)
            #expect(try await live.balance(rival.token) == 10_000)
            let late2 = try await live.bid(id, pinID, token: rival.token, amount: 2000)
            #expect(late2.status == 409)
            #expect(late2.code == "invalid_state")
            let check = try await live.ledgerCheck(admin)
            #expect(check["balanced"] == true)
            #expect(check["escrow_cents"] == 0)
            #expect(try await live.stock(of: productID) == 0)
        }
    }

    @Test("an auction without bids closes unsold and its unit goes back to stock")
    func unsold() async throws {
        try await withServer(testClock: true) { server in
            let live = try await LiveFixture(server)
            let admin = try await live.admin()
            let productID = try await live.product(stock: 2)
            let id = try await live.session()
            let pinID = try await live.auctionPin(id, product: productID, duration: 30)
            let stream = try await live.stream(id)
            #expect(try await live.stock(of: productID) == 1)
            try await live.advance(31, admin: admin)
            let closed = try await stream.waitFor("auction.closed")
            #expect(closed.id != nil)
            #expect(closed.json["pin_id"]?.stringValue == pinID)
            #expect(closed.json["status"] == "unsold")
            #expect(closed.json["winning_bid_cents"] == .null)
            #expect(closed.json["order_id"] == .null)
            let removed = try await stream.waitFor("pin.removed")
            #expect(removed.json["pin_id"]?.stringValue == pinID)
            #expect(try await live.stock(of: productID) == 2)
        }
    }

    @Test("an auction closes across a restart: the close job is durable and runs once the clock passes its end")
    func acrossRestart() async throws {
        let server = try await TestServer(testClock: true)
        let path = server.databasePath
        let live = try await LiveFixture(server)
        let productID: String
        let id: String
        let buyer: (token: String, accountID: String)
        let admin: String
        do {
            admin = try await live.admin()
            productID = try await live.product(stock: 1)
            id = try await live.session()
            let pinID = try await live.auctionPin(id, product: productID, starting: 700, increment: 100, duration: 120)
            buyer = try await live.buyer()
            #expect(try await live.bid(id, pinID, token: buyer.token, amount: 700, max: 1500).status == 201)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop(removeDatabase: false)

        let restarted = try await TestServer(databasePath: path, testClock: true)
        do {
            let again = LiveFixture(server: restarted, hostToken: live.hostToken, hostID: live.hostID)
            #expect(try await again.orders(buyer.token).isEmpty)
            #expect(try await again.balance(buyer.token) == 10_000 - 1500)
            try await again.advance(121, admin: admin)
            #expect(try await eventually { try await !again.orders(buyer.token).isEmpty })
            let order = try #require(try await again.orders(buyer.token).first)
            #expect(order["total_cents"] == 700)
            #expect(order["live_session_id"]?.stringValue == id)
            #expect(try await again.balance(buyer.token) == 10_000 - 700)
            let check = try await again.ledgerCheck(admin)
            #expect(check["balanced"] == true)
            #expect(check["escrow_cents"] == 0)
            let stats = try await restarted.send("GET", "/v1/live-sessions/\(id)/stats", token: live.hostToken).json
            #expect(stats["orders"] == 1)
            #expect(stats["gmv_cents"] == 700)
        } catch {
            await restarted.stop()
            throw error
        }
        await restarted.stop()
    }

    @Test("auction.bid and auction.closed carry ids, reach open streams and are replayed after Last-Event-ID")
    func events() async throws {
        try await withServer { server in
            let live = try await LiveFixture(server)
            let productID = try await live.product(stock: 1)
            let id = try await live.session()
            let stream = try await live.stream(id)
            let pinID = try await live.auctionPin(id, product: productID, starting: 1000, increment: 100)
            let added = try await stream.waitFor("pin.added")
            #expect(added.json["auction"]?["status"] == "open")
            let (anna, ben) = (try await server.signUp(name: "Anna Schmidt"), try await server.signUp(name: "Ben Weber"))
            for account in [anna, ben] {
                _ = try await server.send(
                    "POST", "/v1/wallet/top-ups", json: ["amount_cents": 10_000, "method": "sandbox"], token: account.token
                )
            }
            #expect(try await live.bid(id, pinID, token: anna.token, amount: 1000, max: 3000).status == 201)
            #expect(try await live.bid(id, pinID, token: ben.token, amount: 1500).status == 201)
            let first = try await stream.waitFor("auction.bid")
            let second = try await stream.waitFor("auction.bid")
            #expect(first.json["pin_id"]?.stringValue == pinID)
            #expect(first.json["current_bid_cents"] == 1000)
            #expect(first.json["leader_display_name"] == "Anna")
            #expect(second.json["current_bid_cents"] == 1600)
            #expect(second.json["leader_display_name"] == "Anna")
            #expect(second.json["ends_at"] != nil)
            let firstID = try #require(first.id)
            #expect(try #require(second.id) > firstID)

            #expect(try await server.send("POST", "/v1/live-sessions/\(id)/end", token: live.hostToken).status == 200)
            let closed = try await stream.waitFor("auction.closed")
            #expect(closed.json["status"] == "sold")
            #expect(closed.json["winning_bid_cents"] == 1600)
            let orderID = try #require(closed.json["order_id"]?.stringValue)
            #expect(try await live.orders(anna.token).first?["id"]?.stringValue == orderID)
            _ = try await stream.waitFor("session.ended")

            // A client that saw only the first bid gets the rest again, in order, with the same ids.
            let resumed = try await live.stream(id, lastEventID: String(firstID))
            let names = try await resumed.numbered(4).map { $0.name ?? "" }
            #expect(names == ["auction.bid", "auction.closed", "pin.removed", "session.ended"])
            #expect(first.json["leader_account_id"]?.stringValue == anna.accountID)

            // Erasure leaves no name in the log: a replayed bid Anna led shows "Deleted account" (API.md §24).
            let payout = try await server.send(
                "POST", "/v1/wallet/payouts", json: ["amount_cents": .int(10_000 - 1600), "method": "sandbox"], token: anna.token
            )
            #expect(payout.status == 201, "\(payout.text)")
            let erased = try await server.send("DELETE", "/v1/me", json: ["password": "correct horse battery"], token: anna.token)
            #expect(erased.status == 204, "\(erased.text)")
            let afterErasure = try await live.stream(id, lastEventID: String(firstID - 1))
            let replayedBid = try await afterErasure.waitFor("auction.bid")
            #expect(replayedBid.id == firstID)
            #expect(replayedBid.json["leader_display_name"] == "Deleted account")
        }
    }
}
