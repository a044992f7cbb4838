import Core
import Foundation
import LiveShopping
import Storage
import Testing
import TestSupport

/// A close always settles (issue 23): when the winner's order cannot be placed the auction closes `unsold` in the
/// same transaction — the hold released, the unit back — and when the close itself keeps failing the scheduler's last
/// resort does the same instead of dropping the job and leaving the auction open with money held.
///
/// The failures are injected with SQLite triggers, the one way to make a write fail on purpose without a hook in the
/// product code.
@Suite("Auctions: a close always settles")
struct AuctionSettleTests {
    /// A 30 s auction of the only unit of a product, led by a buyer with a maximum of 1500 cents held.
    static func auctionWithLeader(_ server: TestServer) async throws -> (
        live: LiveFixture<TestServer>, admin: String, productID: String, sessionID: String, pinID: String,
        buyer: (token: String, accountID: String)
    ) {
        let live = try await LiveFixture(server)
        let admin = try await live.admin()
        let productID = try await live.product(stock: 1)
        let id = try await live.session()
        let pinID = try await live.auctionPin(id, product: productID, starting: 700, increment: 100, duration: 30)
        let buyer = try await live.buyer()
        #expect(try await live.bid(id, pinID, token: buyer.token, amount: 700, max: 1500).status == 201)
        return (live, admin, productID, id, pinID, buyer)
    }

    @Test("the winner's order cannot be placed: closed unsold at once, hold released, unit back, auction.closed says why")
    func orderFails() async throws {
        try await withServer(testClock: true) { server in
            let (live, admin, productID, id, pinID, buyer) = try await Self.auctionWithLeader(server)
            let rival = try await live.buyer()
            #expect(try await live.bid(id, pinID, token: rival.token, amount: 800).status == 201)
            try await server.database.write { db in
                try InjectedFailure.install(
                    "test_refuse_auction_order", before: "INSERT", on: "orders", when: "NEW.pin_id = '\(pinID)'",
                    message: "injected: the order cannot be placed", in: db
                )
            }
            let stream = try await live.stream(id)

            try await live.advance(31, admin: admin)
            await live.runScheduler()
            let closed = try await stream.waitFor("auction.closed")
            #expect(closed.json["pin_id"]?.stringValue == pinID)
            #expect(closed.json["status"] == "unsold")
            #expect(closed.json["reason"] == "order_failed")
            #expect(closed.json["winning_bid_cents"] == .null)
            #expect(closed.json["order_id"] == .null)
            _ = try await stream.waitFor("pin.removed")

            // Settled in the first attempt: no job left to retry, no order, every cent and the unit back.
            let job = try await server.database.read { db in try Scheduler.job(LiveService.auctionCloseJob, key: pinID, in: db) }
            #expect(job == nil)
            #expect(try await live.orders(buyer.token).isEmpty)
            #expect(try await live.balance(buyer.token) == 10_000)
            #expect(try await live.balance(rival.token) == 10_000)
            #expect(try await live.walletLines(buyer.token).map(\.kind).sorted() == ["hold", "release", "top_up"])
            #expect(try await live.stock(of: productID) == 1)
            let check = try await live.ledgerCheck(admin)
            #expect(check["balanced"] == true)
            #expect(check["escrow_cents"] == 0)
            let stats = try await server.send("GET", "/v1/live-sessions/\(id)/stats", token: live.hostToken).json
            #expect(stats["orders"] == 0)
            #expect(stats["gmv_cents"] == 0)
        }
    }

    @Test("a close that fails five times is settled by the scheduler's last resort, not dropped with the auction open")
    func closeKeepsFailing() async throws {
        try await withServer(testClock: true) { server in
            let (live, admin, productID, id, pinID, buyer) = try await Self.auctionWithLeader(server)
            // Every ordinary close marks the auction sold first; this makes that write fail, each time.
            try await server.database.write { db in
                try InjectedFailure.install(
                    "test_refuse_sold", before: "UPDATE OF status", on: "live_auctions",
                    when: "NEW.pin_id = '\(pinID)' AND NEW.status = 'sold'", message: "injected: the close fails", in: db
                )
            }
            let stream = try await live.stream(id)
            func attempts() async throws -> Int64? {
                try await server.database.read { db in
                    try db.scalar(
                        "SELECT attempts FROM scheduled_jobs WHERE kind = ? AND key = ?", LiveService.auctionCloseJob, pinID
                    )
                }
            }

            try await live.advance(31, admin: admin)
            await live.runScheduler()
            #expect(try await attempts() == 1)
            #expect(try await live.auction(id, pinID)?["status"] == "open")
            // Retried after 1, 2, 3 and 4 minutes; the fifth failure hands the job to the last resort.
            for attempt in 1...4 {
                try await live.advance(Int64(60 * attempt), admin: admin)
                await live.runScheduler()
                #expect(try await attempts() == (attempt == 4 ? nil : Int64(attempt + 1)), "after attempt \(attempt + 1)")
            }
            let closed = try await stream.waitFor("auction.closed")
            #expect(closed.json["status"] == "unsold")
            #expect(closed.json["reason"] == "close_failed")
            #expect(closed.json["order_id"] == .null)
            #expect(try await live.auction(id, pinID) == nil, "the pin ended with the close")
            #expect(try await live.balance(buyer.token) == 10_000)
            #expect(try await live.stock(of: productID) == 1)
            let check = try await live.ledgerCheck(admin)
            #expect(check["balanced"] == true)
            #expect(check["escrow_cents"] == 0)
            let late = try await live.bid(id, pinID, token: buyer.token, amount: 2000)
            #expect(late.code == "invalid_state")
        }
    }
}
