import Core
import Foundation
import Testing
import TestSupport

/// What an auction pin is not (API.md §14, §22, §24): a checkout path at list price, or a place where the host bids.
@Suite("Auctions: no checkout through the pin, no bids by the host")
struct AuctionCheckoutTests {
    @Test("a checkout or a quote through an open auction pin is 409 invalid_state naming pin_id; nothing moves")
    func checkoutThroughAuctionPin() async throws {
        try await withApp { server in
            let live = try await LiveFixture(server)
            let productID = try await live.product(stock: 3, priceCents: 2500)
            let id = try await live.session()
            let pinID = try await live.auctionPin(id, product: productID, starting: 500, increment: 50)
            let buyer = try await live.buyer()
            let body: JSON = [
                "items": [["product_id": .string(productID), "quantity": 1]], "live_session_id": .string(id),
                "pin_id": .string(pinID),
            ]
            let refused = try await server.send("POST", "/v1/orders", json: body, token: buyer.token)
            #expect(refused.status == 409, "\(refused.text)")
            #expect(refused.code == "invalid_state")
            #expect(refused.errorField == "pin_id")
            #expect(refused.header("Content-Type")?.hasPrefix("application/problem+json") == true)
            let quote = try await server.send("POST", "/v1/orders/quote", json: body, token: buyer.token)
            #expect(quote.status == 409, "\(quote.text)")
            #expect(quote.errorField == "pin_id")
            #expect(try await live.balance(buyer.token) == 10_000)
            #expect(try await live.stock(of: productID) == 2, "only the auction's unit left stock")
            #expect(try await live.orders(buyer.token).isEmpty)

            // The same product in the same session without the pin is an ordinary order at list price.
            let plain = try await server.send("POST", "/v1/orders", json: [
                "items": [["product_id": .string(productID), "quantity": 1]], "live_session_id": .string(id),
            ], token: buyer.token)
            #expect(plain.status == 201, "\(plain.text)")
            #expect(plain.json["total_cents"] == 2500)

            // Once the auction closed its pin has ended, and an ended pin answers sold_out as before (API.md §14).
            #expect(try await server.send("POST", "/v1/live-sessions/\(id)/end", token: live.hostToken).status == 200)
            let afterClose = try await server.send("POST", "/v1/orders", json: body, token: buyer.token)
            #expect(afterClose.code == "sold_out", "\(afterClose.text)")
        }
    }

    @Test("the session's host may not bid on its own auction: 403 forbidden after the 404s, before the body")
    func hostMayNotBid() async throws {
        try await withApp { server in
            let live = try await LiveFixture(server)
            let productID = try await live.product(stock: 1)
            let id = try await live.session()
            let pinID = try await live.auctionPin(id, product: productID, starting: 500, increment: 50)
            _ = try await server.send(
                "POST", "/v1/wallet/top-ups", json: ["amount_cents": 10_000, "method": "sandbox"], token: live.hostToken
            )
            let own = try await live.bid(id, pinID, token: live.hostToken, amount: 500, max: 5000)
            #expect(own.status == 403, "\(own.text)")
            #expect(own.code == "forbidden")
            #expect(own.header("Content-Type")?.hasPrefix("application/problem+json") == true)
            // The check order of API.md §24: 404 for the path's objects first, 403 before the body's 400.
            #expect(try await live.bid(id, "pin_nope", token: live.hostToken, amount: 500).status == 404)
            let badBody = try await server.send(
                "POST", "/v1/live-sessions/\(id)/pins/\(pinID)/bids", json: ["amount_cents": 0], token: live.hostToken
            )
            #expect(badBody.status == 403)
            // Nothing was held and the auction has no bid; a viewer still bids at the starting bid.
            #expect(try await live.balance(live.hostToken) == 10_000)
            let auction = try #require(try await live.auction(id, pinID))
            #expect(auction["bids"] == 0)
            #expect(auction["leader"] == .null)
            let viewer = try await live.buyer()
            #expect(try await live.bid(id, pinID, token: viewer.token, amount: 500).status == 201)
        }
    }
}
