import Core
import Foundation
import Testing
import TestSupport

/// OWASP API2:2023 (broken authentication) and API3:2023 (broken object property level authorization).
@Suite("OWASP API2 and API3: authentication and property-level authorization")
struct AuthenticationTests {
    @Test("a logged-out token stops working at once; other sessions of the account go on")
    func logout() async throws {
        try await AttackWorld.with { w in
            let s = w.server
            let me = try await s.send("GET", "/v1/me", token: w.alice.token).json
            let login = try await s.send("POST", "/v1/sessions", json: [
                "email": try #require(me["email"]), "password": "correct horse battery",
            ])
            let second = try #require(login.json["token"]?.stringValue, "\(login.text)")
            #expect(try await s.send("DELETE", "/v1/sessions/current", token: second).status == 204)
            for (method, path) in [("GET", "/v1/me"), ("GET", "/v1/wallet"), ("DELETE", "/v1/sessions/current")] {
                let reused = try await s.send(method, path, token: second)
                #expect(reused.status == 401 && reused.code == "unauthenticated", "\(method) \(path) with a revoked token")
            }
            let topUp = try await s.send("POST", "/v1/wallet/top-ups", json: ["amount_cents": 100, "method": "sandbox"], token: second)
            #expect(topUp.status == 401)
            #expect(try await s.send("GET", "/v1/me", token: w.alice.token).status == 200)
        }
    }

    @Test("garbage, truncated, extended and misplaced tokens are 401")
    func garbageTokens() async throws {
        try await AttackWorld.with { w in
            let token = w.alice.token
            let headers = [
                "Bearer", "Bearer ", "Bearer x", "Bearer \(String(repeating: "0", count: 64))", "Bearer \(token)x",
                "Bearer \(token.dropLast())", "Bearer \(token.uppercased())", "Basic \(Data("a:b".utf8).base64EncodedString())",
                token, "Token \(token)", "Bearer \(String(repeating: "A", count: 8000))", "Bearer \(token) \(token)",
                "Bearer ' OR 1=1 --",
            ]
            for header in headers {
                let answer = try await w.server.send("GET", "/v1/me", headers: [("Authorization", header)])
                #expect(answer.status == 401, "Authorization: \(header.prefix(40)) → \(answer.status)")
            }
            let inQuery = try await w.server.send("GET", "/v1/me?access_token=\(token)")
            #expect(inQuery.status == 401, "a token in the query string is not a credential")
        }
    }

    @Test("brute force: 30 parallel wrong passwords get at most 10 tries, then 429 even with the right password")
    func bruteForce() async throws {
        try await AttackWorld.withServer { w in
            let s = w.server
            let email = "victim-\(UUID().uuidString.prefix(6).lowercased())@example.com"
            _ = try await s.signUp(email: email)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for attempt in 0..<30 {
                    group.addTask {
                        try await s.send("POST", "/v1/sessions", json: ["email": .string(email), "password": .string("guess number \(attempt)")]).status
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 401 }.count <= 10, "\(statuses)")
            #expect(statuses.filter { $0 == 429 }.count >= 20, "\(statuses)")
            let right = try await s.send("POST", "/v1/sessions", json: ["email": .string(email), "password": "correct horse battery"])
            #expect(right.status == 429 && right.code == "rate_limited", "\(right.text)")
            #expect(right.header("Retry-After").flatMap(Int.init).map { $0 > 0 } == true)
            // Another account is not locked out by the attack.
            let bobEmail = try #require(try await s.send("GET", "/v1/me", token: w.bob.token).json["email"])
            let bob = try await s.send("POST", "/v1/sessions", json: ["email": bobEmail, "password": "correct horse battery"])
            #expect(bob.status == 201)
        }
    }

    @Test("read-only and unknown fields are rejected with 400 naming the field, and change nothing")
    func propertyLevel() async throws {
        try await AttackWorld.with { w in
            let s = w.server
            let cases: [(String, String, JSON, String, String)] = [
                ("PATCH", "/v1/me", ["roles": ["admin"]], "roles", w.alice.token),
                ("PATCH", "/v1/me", ["display_name": "A", "email": "x@example.com"], "email", w.alice.token),
                ("PATCH", "/v1/me", ["id": "acct_other"], "id", w.alice.token),
                ("POST", "/v1/accounts", [
                    "email": "new@example.com", "password": "correct horse battery", "display_name": "N", "roles": ["admin"],
                ], "roles", w.alice.token),
                ("PATCH", "/v1/products/\(w.productID)", ["stock": 100_000], "stock", w.merchant),
                ("PATCH", "/v1/products/\(w.productID)", ["id": "prd_x"], "id", w.merchant),
                ("PATCH", "/v1/products/\(w.productID)", ["sku": "OTHER"], "sku", w.merchant),
                ("PATCH", "/v1/products/\(w.productID)", ["created_at": "2020-01-01T00:00:00Z"], "created_at", w.merchant),
                ("POST", "/v1/orders", ["items": [["product_id": .string(w.productID), "quantity": 1]], "status": "refunded"], "status", w.bob.token),
                ("POST", "/v1/orders", ["items": [["product_id": .string(w.productID), "quantity": 1]], "total_cents": 1], "total_cents", w.bob.token),
                ("POST", "/v1/orders", [
                    "items": [["product_id": .string(w.productID), "quantity": 1, "unit_price_cents": 1]],
                ], "items[0].unit_price_cents", w.bob.token),
                ("POST", "/v1/orders", [
                    "items": [["product_id": .string(w.productID), "quantity": 1]], "account_id": .string(w.alice.accountID),
                ], "account_id", w.bob.token),
                ("POST", "/v1/wallet/top-ups", ["amount_cents": 100, "method": "sandbox", "balance_cents": 1_000_000], "balance_cents", w.bob.token),
                ("PATCH", "/v1/campaigns/\(w.campaignID)", ["max_coupons": 1_000_000], "max_coupons", w.merchant),
                ("POST", "/v1/live-sessions", ["title": "T", "status": "live"], "status", w.host.token),
                ("POST", "/v1/live-sessions", ["title": "T", "viewer_count": 1000], "viewer_count", w.host.token),
                ("POST", "/v1/orders/\(w.aliceOrderID)/refunds", ["reason": "r", "amount_cents": 999_999], "amount_cents", w.alice.token),
            ]
            for (method, path, body, field, token) in cases {
                let answer = try await s.send(method, path, json: body, token: token)
                let fields = answer.json["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []
                #expect(answer.status == 400 && answer.code == "invalid_request" && fields.contains(field),
                        "\(method) \(path) with \(field): \(answer.status) \(answer.text)")
            }
            let me = try await s.send("GET", "/v1/me", token: w.alice.token).json
            #expect(me["roles"] == ["customer"] && me["display_name"] == "Alice Buyer")
            // The account object carries exactly the documented keys: no hash, no token.
            if case let .object(members) = me {
                #expect(Set(members.map(\.0)) == ["id", "email", "display_name", "roles", "created_at"])
            }
            let product = try await s.send("GET", "/v1/products/\(w.productID)").json
            #expect(product["stock"] == 488 && product["sku"] == "ATTACK-1")
            let wallet = try await s.send("GET", "/v1/wallet", token: w.bob.token).json
            #expect(wallet["balance_cents"] == 50_000)
            let order = try await s.send("GET", "/v1/orders/\(w.aliceOrderID)", token: w.alice.token).json
            #expect(order["status"] == "paid")
        }
    }
}
