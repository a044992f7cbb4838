import Core
import Foundation
import Testing
import TestSupport

/// OWASP API4:2023 (unrestricted resource consumption) and API6:2023 (unrestricted access to sensitive business
/// flows): limits and rate limits hold, also when an attacker fires many requests at once.
@Suite("OWASP API4 and API6: limits and business-flow abuse")
struct AbuseTests {
    /// Fires `count` requests at once and returns their statuses.
    static func parallel(_ count: Int, _ send: @escaping @Sendable (Int) async throws -> TestResponse) async throws -> [TestResponse] {
        try await withThrowingTaskGroup(of: TestResponse.self) { group in
            for index in 0..<count { group.addTask { try await send(index) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test("size and range limits: bodies, lists, likes, codes, amounts, lines, chat text")
    func limits() async throws {
        try await AttackWorld.withServer { w in
            let s = w.server
            let bob = w.bob.token
            // The head alone: the server answers 413 from Content-Length without reading a byte of the body.
            let raw = try await s.client.raw(Array((
                "POST /v1/wallet/top-ups HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(bob)\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1048577\r\nConnection: close\r\n\r\n"
            ).utf8))
            #expect(raw.status == 413 && raw.code == "payload_too_large", "\(raw.status)")

            let lists = ["/v1/products", "/v1/orders", "/v1/coupons", "/v1/wallet/transactions", "/v1/live-sessions",
                         "/v1/campaigns", "/v1/campaigns/\(w.campaignID)/codes"]
            for list in lists {
                let token = list.contains("campaigns") ? w.merchant : bob
                for limit in ["0", "101", "-1", "abc", "1000000000000000000000"] {
                    let answer = try await s.send("GET", "\(list)?limit=\(limit)", token: token)
                    #expect(answer.status == 400, "\(list)?limit=\(limit) → \(answer.status)")
                }
                #expect(try await s.send("GET", "\(list)?limit=100", token: token).status == 200, "\(list)?limit=100")
            }
            let base = "/v1/live-sessions/\(w.sessionID)"
            for count: JSON in [0, 51, -1, "5", .double(1.5), 1_000_000] {
                let like = try await s.send("POST", "\(base)/likes", json: ["count": count], token: bob)
                #expect(like.status == 400, "likes count \(count.serializedString()) → \(like.status)")
            }
            let like = try await s.send("POST", "\(base)/likes", json: ["count": 50], token: bob)
            #expect(like.status == 202 && like.json["like_count"] == 50, "\(like.text)")
            for count: JSON in [0, 100_001, 10_000_000] {
                let codes = try await s.send("POST", "/v1/campaigns/\(w.campaignID)/codes", json: ["count": count], token: w.merchant)
                #expect(codes.status == 400, "codes count \(count.serializedString()) → \(codes.status)")
            }
            for amount: JSON in [99, 100_001, -100, 0] {
                let topUp = try await s.send("POST", "/v1/wallet/top-ups", json: ["amount_cents": amount, "method": "sandbox"], token: bob)
                #expect(topUp.status == 400, "top-up \(amount.serializedString())")
            }
            let transfer = try await s.send("POST", "/v1/wallet/transfers", json: ["to_account_id": .string(w.alice.accountID), "amount_cents": -500], token: bob)
            #expect(transfer.status == 400, "a negative transfer would pull money: \(transfer.text)")
            let line: JSON = ["product_id": .string(w.productID), "quantity": 1]
            let lines = try await s.send("POST", "/v1/orders", json: ["items": .array(Array(repeating: line, count: 51))], token: bob)
            #expect(lines.status == 400, "51 order lines")
            let quantity = try await s.send("POST", "/v1/orders", json: ["items": [["product_id": .string(w.productID), "quantity": 100]]], token: bob)
            #expect(quantity.status == 400, "quantity 100")
            let long = try await s.send("POST", "\(base)/messages", json: ["text": .string(String(repeating: "x", count: 501))], token: bob)
            #expect(long.status == 400, "a 501-character message")
            let wallet = try await s.send("GET", "/v1/wallet", token: bob).json
            #expect(wallet["balance_cents"] == 50_000, "nothing above moved money")
        }
    }

    @Test("rate limits: chat one message per second, wheel plays per day, drop claims one per account")
    func rateLimits() async throws {
        try await AttackWorld.withServer { w in
            let s = w.server
            let bob = w.bob.token
            let chat = try await Self.parallel(10) { index in
                try await s.send("POST", "/v1/live-sessions/\(w.sessionID)/messages", json: ["text": .string("spam \(index)")], token: bob)
            }
            // A second boundary may fall inside the burst, so two can pass; never more.
            #expect(chat.filter { $0.status == 201 }.count <= 2, "\(chat.map(\.status))")
            let limited = chat.filter { $0.status == 429 }
            #expect(limited.count >= 8 && limited.allSatisfy { $0.code == "rate_limited" && $0.header("Retry-After") != nil })

            let plays = try await Self.parallel(8) { _ in try await s.send("POST", "/v1/games/game_wheel/plays", json: [:], token: bob) }
            #expect(plays.filter { $0.status == 201 }.count == 3, "\(plays.map(\.status))")
            #expect(plays.filter { $0.code == "daily_limit_reached" }.count == 5)

            let claims = try await Self.parallel(10) { _ in
                try await s.send("POST", "/v1/live-sessions/\(w.sessionID)/coupon-drops/\(w.dropID)/claims", token: bob)
            }
            #expect(claims.filter { $0.status == 201 }.count == 1, "\(claims.map(\.status))")
            #expect(claims.filter { $0.code == "already_claimed" }.count == 9)
        }
    }

    @Test("20 parallel claims of different codes by one account stop at per_account_limit")
    func couponLimitOverrun() async throws {
        try await AttackWorld.withServer { w in
            let s = w.server
            let page = try await s.send("GET", "/v1/campaigns/\(w.campaignID)/codes?limit=40", token: w.merchant).json
            let codes = (page["data"]?.arrayValue ?? []).filter { $0["status"] == "unclaimed" }.compactMap { $0["code"]?.stringValue }
            try #require(codes.count >= 20)
            let claims = try await Self.parallel(20) { index in
                try await s.send("POST", "/v1/coupons/claim", json: ["code": .string(codes[index])], token: w.bob.token,
                                 headers: index.isMultiple(of: 2) ? [("Idempotency-Key", "claim-\(index)")] : [])
            }
            #expect(claims.filter { $0.status == 201 }.count == 3, "\(claims.map(\.status))")
            #expect(claims.filter { $0.code == "limit_reached" }.count == 17)
            let held = try await s.database.read { db in
                try db.scalar("SELECT COUNT(*) FROM coupons WHERE account_id = ? AND campaign_id = ?", w.bob.accountID, w.campaignID)
            }
            #expect(held == 3)
        }
    }

    @Test("one play replayed with its key, in parallel and after, draws once; one coupon and one refund race")
    func replays() async throws {
        try await AttackWorld.withServer { w in
            let s = w.server
            let bob = w.bob.token
            let key = [("Idempotency-Key", "spin-once")]
            let body: JSON = ["client_seed": "lucky"]
            let burst = try await Self.parallel(10) { _ in try await s.send("POST", "/v1/games/game_wheel/plays", json: body, token: bob, headers: key) }
            let after = try await s.send("POST", "/v1/games/game_wheel/plays", json: body, token: bob, headers: key)
            let answered = burst.filter { $0.status == 201 } + [after]
            #expect(Set(answered.map(\.body)).count == 1, "every answer is the same play")
            #expect(burst.allSatisfy { $0.status == 201 || $0.code == "idempotency_in_progress" }, "\(burst.map(\.status))")
            #expect(after.header("Idempotent-Replayed") == "true")
            let plays = try await s.database.read { db in try db.scalar("SELECT COUNT(*) FROM game_plays WHERE account_id = ?", w.bob.accountID) }
            #expect(plays == 1)
            #expect(try await s.send("GET", "/v1/games/game_wheel/fairness", token: bob).json["next_nonce"] == 1)
            let reused = try await s.send("POST", "/v1/games/game_wheel/plays", json: ["client_seed": "other"], token: bob, headers: key)
            #expect(reused.status == 422 && reused.code == "idempotency_key_reused")

            // Alice's one coupon in ten parallel checkouts: one order gets the discount.
            let orders = try await Self.parallel(10) { _ in
                try await s.send("POST", "/v1/orders", json: [
                    "items": [["product_id": .string(w.productID), "quantity": 1]], "coupon_id": .string(w.aliceCouponID),
                ], token: w.alice.token)
            }
            #expect(orders.filter { $0.status == 201 }.count == 1, "\(orders.map(\.status))")
            #expect(orders.filter { $0.json["reason"] == "already_redeemed" }.count == 9)
            // Ten parallel full refunds of one order: one refund, the total once.
            let refunds = try await Self.parallel(10) { _ in
                try await s.send("POST", "/v1/orders/\(w.aliceOrderID)/refunds", json: ["reason": "race"], token: w.alice.token)
            }
            #expect(refunds.filter { $0.status == 201 }.count == 1, "\(refunds.map(\.status))")
            let order = try await s.send("GET", "/v1/orders/\(w.aliceOrderID)", token: w.alice.token).json
            #expect(order["refunded_cents"] == order["total_cents"] && order["status"] == "refunded")
        }
    }
}
