import Core
import Testing
import TestSupport

/// OWASP API1:2023 (broken object-level authorization): every route that takes an id, tried with ids that belong
/// to another account. Someone else's private object is 404, as if it did not exist; someone else's public object
/// (another host's live session) is 403 (API.md §1, §12).
@Suite("OWASP API1: object-level authorization")
struct ObjectAuthorizationTests {
    @Test("another customer's orders, refunds, coupons, cart, wallet and game state stay out of reach")
    func customerObjects() async throws {
        try await AttackWorld.with { w in
            let s = w.server
            let bob = w.bob.token
            #expect(try await s.send("GET", "/v1/orders/\(w.aliceOrderID)", token: bob).code == "not_found")
            let refund = try await s.send("POST", "/v1/orders/\(w.aliceOrderID)/refunds", json: ["reason": "mine now"], token: bob)
            #expect(refund.status == 404 && refund.code == "not_found", "\(refund.text)")
            let keyed = try await s.send(
                "POST", "/v1/orders/\(w.aliceOrderID)/refunds", json: ["reason": "mine now"], token: bob,
                headers: [("Idempotency-Key", "bola-1")]
            )
            #expect(keyed.status == 404)
            let order = try await s.send("GET", "/v1/orders/\(w.aliceOrderID)", token: w.alice.token).json
            #expect(order["status"] == "paid" && order["refunded_cents"] == 0, "Alice's order is untouched")

            for path in ["/v1/orders", "/v1/orders?all=true", "/v1/coupons", "/v1/wallet/transactions", "/v1/cart"] {
                let answer = try await s.send("GET", path, token: bob)
                #expect(answer.status == 200)
                #expect(!answer.text.contains(w.aliceOrderID) && !answer.text.contains(w.aliceCouponID), "\(path) leaks Alice's objects")
            }

            // Alice's coupon at Bob's checkout: not_owner, and the coupon stays Alice's and unused.
            let stolen = try await s.send("POST", "/v1/orders", json: [
                "items": [["product_id": .string(w.productID), "quantity": 1]], "coupon_id": .string(w.aliceCouponID),
            ], token: bob)
            #expect(stolen.status == 422 && stolen.json["reason"] == "not_owner", "\(stolen.text)")
            let coupons = try await s.send("GET", "/v1/coupons", token: w.alice.token).json["data"]?.arrayValue ?? []
            #expect(coupons.first { $0["id"]?.stringValue == w.aliceCouponID }?["status"] == "available")

            // Game state and seeds are the caller's own: Alice's play does not move Bob's pet or nonce.
            let fed = try await s.send("POST", "/v1/games/game_kitten/actions", json: ["action": "feed"], token: w.alice.token)
            #expect(fed.status == 200, "\(fed.text)")
            let bobState = try await s.send("GET", "/v1/games/game_kitten/state", token: bob).json
            #expect(bobState["xp"] == 0)
            let aliceSeed = try await s.send("GET", "/v1/games/game_wheel/fairness", token: w.alice.token).json
            let bobSeed = try await s.send("GET", "/v1/games/game_wheel/fairness", token: bob).json
            #expect(aliceSeed["server_seed_hash"] != bobSeed["server_seed_hash"])
        }
    }

    @Test("another host's live session: start, end, pins, messages, mutes, drops and stats are 403")
    func otherHost() async throws {
        try await AttackWorld.with { w in
            let s = w.server
            let base = "/v1/live-sessions/\(w.sessionID)"
            let attempts: [(String, String, JSON?)] = [
                ("POST", "\(base)/start", nil),
                ("GET", "\(base)/stats", nil),
                ("POST", "\(base)/pins", ["product_id": .string(w.productID)]),
                ("DELETE", "\(base)/pins/\(w.pinID)", nil),
                ("DELETE", "\(base)/messages/\(w.messageID)", nil),
                ("POST", "\(base)/mutes", ["account_id": .string(w.alice.accountID)]),
                ("POST", "\(base)/coupon-drops", ["campaign_id": .string(w.campaignID), "quantity": 1]),
                // A body error must not come first either: 403 before 400 (API.md §12).
                ("POST", "\(base)/pins", ["nonsense": true]),
                ("POST", "\(base)/end", nil),
            ]
            for (method, path, body) in attempts {
                let answer = try await s.send(method, path, json: body, token: w.otherHost.token)
                #expect(answer.status == 403 && answer.code == "forbidden", "\(method) \(path): \(answer.status) \(answer.text)")
            }
            let session = try await s.send("GET", base).json
            #expect(session["status"] == "live")
            #expect(session["pins"]?.arrayValue?.count == 1, "the pin survived")
            let chat = try await s.send("POST", "\(base)/messages", json: ["text": "still here"], token: w.bob.token)
            // Not muted means not 403; the one-message-per-second limit may answer 429 on a busy machine.
            #expect(chat.status == 201 || chat.code == "rate_limited", "nobody was muted: \(chat.text)")
        }
    }

    @Test("ids from one session do not work through another: drops, pins and messages")
    func crossSession() async throws {
        try await AttackWorld.with { w in
            let s = w.server
            let other = try expect201(await s.send("POST", "/v1/live-sessions", json: ["title": "Other"], token: w.otherHost.token))
            let otherID = try #require(other["id"]?.stringValue)
            let claim = try await s.send("POST", "/v1/live-sessions/\(otherID)/coupon-drops/\(w.dropID)/claims", token: w.bob.token)
            #expect(claim.status == 404, "\(claim.text)")
            let flash = try await s.send("POST", "/v1/orders", json: [
                "items": [["product_id": .string(w.productID), "quantity": 1]],
                "live_session_id": .string(otherID), "pin_id": .string(w.pinID),
            ], token: w.bob.token)
            #expect(flash.status == 404, "a pin of another session: \(flash.text)")
            // The other host owns `otherID` but not the message or pin of the first session.
            let message = try await s.send("DELETE", "/v1/live-sessions/\(otherID)/messages/\(w.messageID)", token: w.otherHost.token)
            #expect(message.status == 404, "\(message.text)")
            let pin = try await s.send("DELETE", "/v1/live-sessions/\(otherID)/pins/\(w.pinID)", token: w.otherHost.token)
            #expect(pin.status == 404, "\(pin.text)")
            let session = try await s.send("GET", "/v1/live-sessions/\(w.sessionID)").json
            #expect(session["pins"]?.arrayValue?.count == 1)
        }
    }

    @Test("merchant objects as a customer: campaigns and products are 403")
    func merchantObjects() async throws {
        try await AttackWorld.with { w in
            let s = w.server
            let attempts: [(String, String, JSON?)] = [
                ("GET", "/v1/campaigns/\(w.campaignID)", nil),
                ("PATCH", "/v1/campaigns/\(w.campaignID)", ["status": "ended"]),
                ("GET", "/v1/campaigns/\(w.campaignID)/codes", nil),
                ("POST", "/v1/campaigns/\(w.campaignID)/codes", ["count": 10]),
                ("PATCH", "/v1/products/\(w.productID)", ["price_cents": 1]),
                ("POST", "/v1/products/\(w.productID)/stock-adjustments", ["delta": -500, "reason": "gone"]),
                ("POST", "/v1/admin/accounts/\(w.bob.accountID)/roles", ["role": "admin"]),
            ]
            for (method, path, body) in attempts {
                let answer = try await s.send(method, path, json: body, token: w.bob.token)
                #expect(answer.status == 403, "\(method) \(path): \(answer.text)")
            }
            let product = try await s.send("GET", "/v1/products/\(w.productID)").json
            #expect(product["price_cents"] == 1000 && product["stock"] == 488, "500 − 2 sold − 10 pinned: \(product)")
            let me = try await s.send("GET", "/v1/me", token: w.bob.token).json
            #expect(me["roles"] == ["customer"])
        }
    }
}
