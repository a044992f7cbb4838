import Core
import Foundation
import Testing
import TestSupport

/// Auction pins and bids over HTTP (API.md §22, §24): validation, the proxy rule with its holds, concurrency.
@Suite("Auctions: pins and bids")
struct AuctionBidTests {
    @Test("auction pins: 1 unit from stock, the auction object, auction.<field> errors, flash fields 400, no stock 409")
    func auctionPins() async throws {
        try await withApp { server in
            let live = try await LiveFixture(server)
            let productID = try await live.product(stock: 1, priceCents: 5000)
            let id = try await live.session()
            let path = "/v1/live-sessions/\(id)/pins"
            let terms: JSON = ["starting_bid_cents": 1000, "increment_cents": 100, "duration_seconds": 60]
            for (body, field) in [
                (["product_id": .string(productID), "auction": terms, "flash_price_cents": 100, "flash_quantity": 1], "flash_price_cents"),
                (["product_id": .string(productID), "auction": terms, "flash_quantity": 1], "flash_quantity"),
                (["product_id": .string(productID), "auction": ["starting_bid_cents": 1000, "duration_seconds": 60]], "auction.increment_cents"),
                (["product_id": .string(productID), "auction": ["starting_bid_cents": 0, "increment_cents": 1, "duration_seconds": 60]], "auction.starting_bid_cents"),
                (["product_id": .string(productID), "auction": ["starting_bid_cents": 1, "increment_cents": 1, "duration_seconds": 9]], "auction.duration_seconds"),
                (["product_id": .string(productID), "auction": ["starting_bid_cents": 1, "increment_cents": 1, "duration_seconds": 601]], "auction.duration_seconds"),
                (["product_id": .string(productID), "auction": ["starting_bid_cents": 1, "increment_cents": 1, "duration_seconds": 60, "reserve": 5]], "auction.reserve"),
                (["product_id": .string(productID), "auction": 5], "auction"),
            ] as [(JSON, String)] {
                let refused = try await server.send("POST", path, json: body, token: live.hostToken)
                #expect(refused.status == 400, "\(body)")
                #expect(refused.errorField == field, "\(refused.text)")
            }
            #expect(try await live.stock(of: productID) == 1)

            let pin = try await server.send("POST", path, json: ["product_id": .string(productID), "auction": terms], token: live.hostToken)
            #expect(pin.status == 201, "\(pin.text)")
            let auction = try #require(pin.json["auction"])
            #expect(auction["starting_bid_cents"] == 1000)
            #expect(auction["increment_cents"] == 100)
            #expect(auction["current_bid_cents"] == .null)
            #expect(auction["leader"] == .null)
            #expect(auction["bids"] == 0)
            #expect(auction["status"] == "open")
            #expect(auction["ends_at"] == pin.json["ends_at"])
            #expect(try await live.stock(of: productID) == 0)
            let pinID = try #require(pin.json["id"]?.stringValue)

            let noStock = try await server.send("POST", path, json: ["product_id": .string(productID), "auction": terms], token: live.hostToken)
            #expect(noStock.status == 409)
            #expect(noStock.code == "out_of_stock")
            let deleted = try await server.send("DELETE", "\(path)/\(pinID)", token: live.hostToken)
            #expect(deleted.status == 409)
            #expect(deleted.code == "invalid_state")
            let plain = try await live.pinID(id, product: try await live.product(stock: 5))
            #expect(try await server.send("GET", "/v1/live-sessions/\(id)").json["pins"]?.arrayValue?.count == 2)

            // Bids: unknown pin 404, a pin that is no auction 409, amount above max 400.
            let buyer = try await live.buyer()
            #expect(try await live.bid(id, "pin_nope", token: buyer.token, amount: 1000).status == 404)
            let notAuction = try await live.bid(id, plain, token: buyer.token, amount: 1000)
            #expect(notAuction.status == 409)
            #expect(notAuction.code == "invalid_state")
            let inverted = try await live.bid(id, pinID, token: buyer.token, amount: 1200, max: 1100)
            #expect(inverted.status == 400)
            #expect(inverted.errorField == "max_cents")
            let low = try await live.bid(id, pinID, token: buyer.token, amount: 999)
            #expect(low.status == 409)
            #expect(low.code == "bid_too_low")
            #expect(low.json["minimum_cents"] == 1000)
            #expect(try await live.auction(id, pinID)?["bids"] == 0, "a refused bid is not counted")
        }
    }

    @Test("the proxy rule on a worked example: holds only for the leader, one hold line per raise, 402 last")
    func workedExample() async throws {
        try await withApp { server in
            let live = try await LiveFixture(server)
            let productID = try await live.product(stock: 1, priceCents: 9000)
            let id = try await live.session()
            let pinID = try await live.auctionPin(id, product: productID, starting: 1000, increment: 100)
            let (a, b, c) = (try await live.buyer(), try await live.buyer(), try await live.buyer())
            let poor = try await live.buyer(cents: 2500)

            func expectBid(
                _ token: String, _ amount: Int64, max: Int64? = nil, leading: Bool, current: Int64,
                sourceLocation: SourceLocation = #_sourceLocation
            ) async throws {
                let bid = try await live.bid(id, pinID, token: token, amount: amount, max: max)
                #expect(bid.status == 201, "\(bid.text)", sourceLocation: sourceLocation)
                #expect(bid.json["id"]?.stringValue?.hasPrefix("bid_") == true, sourceLocation: sourceLocation)
                #expect(bid.json["amount_cents"]?.intValue == amount, sourceLocation: sourceLocation)
                #expect(bid.json["leading"]?.boolValue == leading, sourceLocation: sourceLocation)
                #expect(bid.json["current_bid_cents"]?.intValue == current, sourceLocation: sourceLocation)
                #expect(bid.json["currency"] == "EUR", sourceLocation: sourceLocation)
            }

            try await expectBid(a.token, 1000, max: 2000, leading: true, current: 1000)
            #expect(try await live.balance(a.token) == 8000)
            try await expectBid(b.token, 1100, leading: false, current: 1200)
            #expect(try await live.balance(b.token) == 10_000, "a bidder who does not lead holds nothing")
            try await expectBid(b.token, 1300, max: 2500, leading: true, current: 2100)
            #expect(try await live.balance(a.token) == 10_000, "the outbid leader's hold is released at once")
            #expect(try await live.balance(b.token) == 7500)
            try await expectBid(a.token, 2200, max: 2500, leading: false, current: 2500)
            let tooPoor = try await live.bid(id, pinID, token: poor.token, amount: 2600, max: 3000)
            #expect(tooPoor.status == 402, "every maximum must be covered by the balance")
            #expect(tooPoor.code == "insufficient_funds")
            let tooPoorAndLow = try await live.bid(id, pinID, token: poor.token, amount: 2550, max: 3000)
            #expect(tooPoorAndLow.code == "bid_too_low", "402 comes last")
            try await expectBid(c.token, 2600, leading: true, current: 2600)
            #expect(try await live.balance(b.token) == 10_000)
            try await expectBid(c.token, 2600, max: 4000, leading: true, current: 2600)
            let notRaised = try await live.bid(id, pinID, token: c.token, amount: 2600, max: 3900)
            #expect(notRaised.code == "bid_too_low")
            #expect(notRaised.json["minimum_cents"] == 4001)
            let low = try await live.bid(id, pinID, token: a.token, amount: 2650)
            #expect(low.code == "bid_too_low")
            #expect(low.json["minimum_cents"] == 2700)
            try await expectBid(a.token, 2700, max: 3000, leading: false, current: 3100)

            let auction = try #require(try await live.auction(id, pinID))
            #expect(auction["current_bid_cents"] == 3100)
            #expect(auction["leader"]?["account_id"]?.stringValue == c.accountID)
            #expect(auction["leader"]?["display_name"] == "Bea Buyer")
            #expect(auction["bids"] == 7)
            // Lines of one second have no order among themselves: compare them sorted.
            let lines = try await live.walletLines(c.token)
            #expect(lines.map(\.kind).sorted() == ["hold", "hold", "top_up"])
            #expect(lines.map(\.amount).sorted() == [-2600, -1400, 10_000], "a raise holds the difference in one line")
            #expect(try await live.walletLines(a.token).map(\.amount).sorted() == [-2000, 2000, 10_000])
            #expect(try await live.walletLines(a.token).map(\.kind).sorted() == ["hold", "release", "top_up"])

            // The session's end closes the auction: C pays 31.00 €, the 9.00 € above it come back as a release line.
            let ended = try await server.send("POST", "/v1/live-sessions/\(id)/end", token: live.hostToken)
            #expect(ended.status == 200)
            #expect(try await live.balance(c.token) == 10_000 - 3100)
            let after = try await live.walletLines(c.token)
            #expect(after.map(\.kind).sorted() == ["hold", "hold", "release", "top_up"])
            #expect(after.first { $0.kind == "release" }?.amount == 900)
            let order = try #require(try await live.orders(c.token).first)
            #expect(order["total_cents"] == 3100)
            #expect(order["status"] == "paid")
            #expect(order["live_session_id"]?.stringValue == id)
            #expect(order["pin_id"]?.stringValue == pinID)
            #expect(order["items"]?.arrayValue?.first?["product_id"]?.stringValue == productID)
            #expect(order["items"]?.arrayValue?.first?["quantity"] == 1)
            for loser in [a, b, poor] { #expect(try await live.orders(loser.token).isEmpty) }
            #expect(try await live.balance(a.token) == 10_000)
            #expect(try await live.balance(b.token) == 10_000)
            let check = try await live.ledgerCheck(try await live.admin())
            #expect(check["balanced"] == true)
            #expect(check["escrow_cents"] == 0)

            let stats = try await server.send("GET", "/v1/live-sessions/\(id)/stats", token: live.hostToken).json
            #expect(stats["orders"] == 1)
            #expect(stats["units_sold"] == 1)
            #expect(stats["gmv_cents"] == 3100)
            let closedBid = try await live.bid(id, pinID, token: a.token, amount: 5000)
            #expect(closedBid.code == "invalid_state")

            // The data export lists the account's own bids (API.md §24).
            let exported = try #require(try await server.send("GET", "/v1/me/export", token: a.token).json["bids"]?.arrayValue)
            #expect(exported.compactMap { $0["amount_cents"]?.intValue }.sorted() == [1000, 2200, 2700])
            #expect(exported.compactMap { $0["max_cents"]?.intValue }.sorted() == [2000, 2500, 3000])
            #expect(exported.allSatisfy { $0["pin_id"]?.stringValue == pinID && $0["session_id"]?.stringValue == id })
        }
    }

    @Test("30 bidders at once: exactly one leader, one hold, every other bidder's money back")
    func thirtyBidders() async throws {
        try await withServer { server in
            let live = try await LiveFixture(server)
            let productID = try await live.product(stock: 1, priceCents: 9000)
            let id = try await live.session()
            let pinID = try await live.auctionPin(id, product: productID, starting: 1000, increment: 10)
            var bidders: [(token: String, accountID: String)] = []
            for _ in 0..<30 { bidders.append(try await live.buyer(cents: 5000)) }
            let admin = try await live.admin()

            // Everyone bids at once, each with a different maximum; some lose the race for the minimum (409).
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for (index, bidder) in bidders.enumerated() {
                    group.addTask {
                        try await live.bid(
                            id, pinID, token: bidder.token, amount: 1000 + Int64(index) * 10,
                            max: 2000 + Int64(index) * 50, key: "bid-\(index)"
                        ).status
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == 201 || $0 == 409 }, "\(statuses)")
            #expect(statuses.contains(201))

            let auction = try #require(try await live.auction(id, pinID))
            let leaderID = try #require(auction["leader"]?["account_id"]?.stringValue)
            #expect(auction["bids"]?.intValue == Int64(statuses.filter { $0 == 201 }.count))
            let leaderIndex = try #require(bidders.firstIndex { $0.accountID == leaderID })
            let leaderMax = 2000 + Int64(leaderIndex) * 50
            var holding = 0
            for (index, bidder) in bidders.enumerated() {
                let balance = try await live.balance(bidder.token)
                if index == leaderIndex {
                    #expect(balance == 5000 - leaderMax)
                } else {
                    #expect(balance == 5000, "bidder \(index) has its money back")
                }
                if balance < 5000 { holding += 1 }
            }
            #expect(holding == 1)
            var check = try await live.ledgerCheck(admin)
            #expect(check["balanced"] == true)
            #expect(check["escrow_cents"]?.intValue == leaderMax)

            #expect(try await server.send("POST", "/v1/live-sessions/\(id)/end", token: live.hostToken).status == 200)
            let price = try #require(auction["current_bid_cents"]?.intValue)
            for (index, bidder) in bidders.enumerated() {
                let orders = try await live.orders(bidder.token)
                #expect(orders.count == (index == leaderIndex ? 1 : 0))
                #expect(try await live.balance(bidder.token) == (index == leaderIndex ? 5000 - price : 5000))
            }
            check = try await live.ledgerCheck(admin)
            #expect(check["balanced"] == true)
            #expect(check["escrow_cents"] == 0)
        }
    }
}
