import Core
import Foundation
import Testing
import TestSupport

/// API.md §18: conversations with agents, round robin, the first-response promise, goodwill within limits.
@Suite("Service conversations")
struct ConversationTests {
    static func open(_ w: TrustWorld<some TestApp>, _ token: String, subject: String = "Where is my parcel?", order: String? = nil) async throws -> JSON {
        var body: [(String, JSON)] = [("subject", .string(subject)), ("text", "Hello, my parcel has not arrived.")]
        if let order { body.append(("order_id", .string(order))) }
        let created = try await w.server.send("POST", "/v1/conversations", json: .object(body), token: token)
        #expect(created.status == 201, "\(created.text)")
        return created.json
    }

    @Test("round robin over three agents, in account-id order, wrapping around")
    func roundRobin() async throws {
        try await TrustWorld.with { w in
            var agents: [String] = []
            for _ in 0..<3 { agents.append(try await w.server.signUp(roles: [.agent]).accountID) }
            let customer = try await w.buyer(funds: 0)
            var assigned: [String] = []
            for _ in 0..<6 {
                let conversation = try await Self.open(w, customer.token)
                assigned.append(conversation["assignee"]?["account_id"]?.stringValue ?? "none")
                #expect(conversation["kind"] == "support")
                #expect(conversation["status"] == "open")
            }
            let order = agents.sorted()
            #expect(assigned == order + order)
        }
    }

    @Test("a customer's message reaches the assignee (event and inbox item); the first agent answer keeps the promise")
    func dialogue() async throws {
        try await TrustWorld.with(testClock: true) { w in
            let (agent, agentID) = try await w.server.signUp(roles: [.agent])
            let customer = try await w.buyer(funds: 5_000)
            let product = try await w.product()
            let order = try await w.order(product, token: customer.token)
            let answered = try await Self.open(w, customer.token, order: order)
            let ignored = try await Self.open(w, customer.token, subject: "Nobody answers")
            let id = try #require(answered["id"]?.stringValue)
            #expect(answered["order_id"]?.stringValue == order)
            #expect(answered["first_response_at"] == .null)

            let reply = try await w.server.send("POST", "/v1/conversations/\(id)/messages", json: ["text": "It left today."], token: agent)
            #expect(reply.status == 201)
            #expect(reply.json["author"]?["role"] == "agent")
            let more = try await w.server.send("POST", "/v1/conversations/\(id)/messages", json: ["text": "Thanks!"], token: customer.token)
            #expect(more.status == 201)
            await w.settle()
            let toAgent = try await w.server.database.read { db in
                try db.scalar("SELECT COUNT(*) FROM domain_events WHERE stream = ? AND name = 'conversation.message'", "account:\(agentID)")
            }
            #expect(toAgent == 3, "two opening messages and the customer's reply reach the assignee's stream")
            let customerInbox = try await w.server.send("GET", "/v1/inbox", token: customer.token).json["data"]?.arrayValue ?? []
            #expect(customerInbox.contains { $0["category"] == "support" && $0["data"]?["conversation_id"]?.stringValue == id })
            let messages = try await w.server.send("GET", "/v1/conversations/\(id)/messages", token: customer.token)
            #expect(messages.json["data"]?.arrayValue?.compactMap { $0["author"]?["role"]?.stringValue } == ["customer", "agent", "customer"])

            try await w.advance(minutes: 25 * 60)
            let kept = try await w.server.send("GET", "/v1/conversations/\(id)", token: customer.token)
            #expect(kept.json["escalated"] == false)
            #expect(kept.json["first_response_at"]?.stringValue != nil)
            let late = try await w.server.send("GET", "/v1/conversations/\(ignored["id"]?.stringValue ?? "")", token: customer.token)
            #expect(late.json["escalated"] == true)
            let adminItems = try await w.server.send("GET", "/v1/inbox", token: w.admin).json["data"]?.arrayValue ?? []
            #expect(adminItems.filter { $0["reason"]?["rule"] == "sla_escalation" }.count == 1)

            let resolved = try await w.server.send("POST", "/v1/conversations/\(id)/resolve", token: customer.token)
            #expect(resolved.json["status"] == "resolved")
            #expect(try await w.server.send("POST", "/v1/conversations/\(id)/resolve", token: customer.token).status == 200)
            _ = try await w.server.send("POST", "/v1/conversations/\(id)/messages", json: ["text": "One more thing"], token: customer.token)
            #expect(try await w.server.send("GET", "/v1/conversations/\(id)", token: agent).json["status"] == "open", "a new message reopens")
            let queue = try await w.server.send("GET", "/v1/conversations?status=open&assignee=me", token: agent)
            #expect(queue.json["data"]?.arrayValue?.count == 2)
        }
    }

    @Test("BOLA: another customer sees nothing (404), customers cannot assign or grant goodwill (403), assign needs an agent")
    func authorization() async throws {
        try await TrustWorld.with { w in
            let (agent, agentID) = try await w.server.signUp(roles: [.agent])
            let owner = try await w.buyer(funds: 0)
            let stranger = try await w.buyer(funds: 5_000)
            let strangerOrder = try await w.order(try await w.product(), token: stranger.token)
            let foreignOrder = try await w.server.send("POST", "/v1/conversations", json: [
                "subject": "x", "text": "y", "order_id": .string(strangerOrder),
            ], token: owner.token)
            #expect(foreignOrder.status == 404)
            #expect(foreignOrder.json["errors"]?.arrayValue?.first?["field"] == "order_id")
            let id = try #require(try await Self.open(w, owner.token)["id"]?.stringValue)
            for (method, path, body) in [
                ("GET", "/v1/conversations/\(id)", nil), ("GET", "/v1/conversations/\(id)/messages", nil),
                ("POST", "/v1/conversations/\(id)/messages", ["text": "hi"] as JSON?), ("POST", "/v1/conversations/\(id)/resolve", nil),
            ] as [(String, String, JSON?)] {
                #expect(try await w.server.send(method, path, json: body, token: stranger.token).status == 404, "\(method) \(path)")
            }
            #expect(try await w.server.send("GET", "/v1/conversations", token: stranger.token).json["data"] == [])
            #expect(try await w.server.send("POST", "/v1/conversations/\(id)/assign", json: ["account_id": .string(agentID)], token: owner.token).status == 403)
            #expect(try await w.server.send("POST", "/v1/conversations/\(id)/goodwill", json: ["amount_cents": 500], token: owner.token).status == 403)
            let notAgent = try await w.server.send("POST", "/v1/conversations/\(id)/assign", json: ["account_id": .string(owner.id)], token: agent)
            #expect(notAgent.status == 400)
            #expect(notAgent.json["errors"]?.arrayValue?.first?["field"] == "account_id")
            #expect(try await w.server.send("GET", "/v1/orders/\(strangerOrder)", token: agent).status == 200, "agents read any order")
        }
    }

    @Test("the customer's wallet at a glance: agents through a conversation, one snapshot; customers and strangers 403")
    func walletGlance() async throws {
        try await TrustWorld.with { w in
            let (agent, _) = try await w.server.signUp(roles: [.agent])
            let customer = try await w.buyer(funds: 5_000)
            let order = try await w.order(try await w.product(price: 1_200), token: customer.token)
            let id = try #require(try await Self.open(w, customer.token, order: order)["id"]?.stringValue)
            let own = try await w.server.send("GET", "/v1/wallet", token: customer.token).json["balance_cents"]
            let glance = try await w.server.send("GET", "/v1/conversations/\(id)/wallet", token: agent)
            #expect(glance.status == 200, "\(glance.text)")
            #expect(glance.json["account_id"]?.stringValue == customer.id)
            #expect(glance.json["balance_cents"] == own)
            // The same movements in the same order as the customer's own statement (equal timestamps order by id).
            let statement = try await w.server.send("GET", "/v1/wallet/transactions", token: customer.token).json["data"]
            #expect(glance.json["recent_transactions"] == statement)
            let recent = glance.json["recent_transactions"]?.arrayValue ?? []
            #expect(Set(recent.compactMap { $0["kind"]?.stringValue }) == ["payment", "top_up"])
            #expect(recent.first { $0["kind"] == "payment" }?["reference"]?.stringValue == order)
            #expect(try await w.server.send("GET", "/v1/conversations/\(id)/wallet", token: customer.token).status == 403)
            #expect(try await w.server.send("GET", "/v1/conversations/\(id)/wallet").status == 401)
            #expect(try await w.server.send("GET", "/v1/conversations/cnv_missing/wallet", token: agent).status == 404)
        }
    }

    @Test("goodwill: 30 parallel grants of 10 € for one agent — the day's total never passes 100 €, each a usable coupon")
    func goodwillLimit() async throws {
        try await TrustWorld.withServer { w in
            let without = try await w.buyer(funds: 0)
            let (agent, _) = try await w.server.signUp(roles: [.agent])
            let early = try #require(try await Self.open(w, without.token)["id"]?.stringValue)
            let none = try await w.server.send("POST", "/v1/conversations/\(early)/goodwill", json: ["amount_cents": 500], token: agent)
            #expect(none.status == 409)
            #expect(none.code == "invalid_state", "no goodwill campaign yet")
            try await w.campaign("goodwill")
            let customer = try await w.buyer(funds: 5_000)
            let id = try #require(try await Self.open(w, customer.token)["id"]?.stringValue)
            let answers = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<30 {
                    group.addTask { try await w.server.send("POST", "/v1/conversations/\(id)/goodwill", json: ["amount_cents": 1000], token: agent) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.status == 201 }.count == 10)
            #expect(answers.filter { $0.status == 409 && $0.code == "limit_reached" }.count == 20)
            let coupon = try #require(answers.first { $0.status == 201 }?.json)
            #expect(coupon["source"] == "goodwill")
            #expect(coupon["discount"] == ["type": "fixed", "value": 1000])
            let total = try await w.server.database.read { db in try db.scalar("SELECT SUM(amount_cents) FROM goodwill_grants") }
            #expect(total == 10_000)
            let product = try await w.product(price: 2_500)
            let paid = try await w.server.send("POST", "/v1/orders", json: [
                "items": [["product_id": .string(product), "quantity": 1]], "coupon_id": .string(coupon["id"]?.stringValue ?? ""),
            ], token: customer.token)
            #expect(paid.json["discount_cents"] == 1000)
            let system = try await w.server.send("GET", "/v1/conversations/\(id)/messages?limit=100", token: customer.token)
            #expect(system.json["data"]?.arrayValue?.filter { $0["author"]?["role"] == "system" }.count == 10)
            #expect(try await w.server.send("GET", "/v1/admin/ledger/check", token: w.admin).json["balanced"] == true)
        }
    }
}
