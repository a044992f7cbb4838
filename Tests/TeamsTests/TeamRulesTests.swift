import Core
import Foundation
import Testing
import TestSupport

/// API.md §20 and §24: who may do what with deals and teams, in the contract's check order.
@Suite("Team deals and team rules")
struct TeamRulesTests {
    @Test("deals: merchants only, fields checked, the product must exist and the team price lie below its price")
    func deals() async throws {
        try await TeamWorld.with { w in
            let product = try await w.product(price: 2_000)
            let customer = try await w.buyer()
            let valid: JSON = ["product_id": .string(product), "team_price_cents": 1_500, "team_size": 3]
            #expect(try await w.send("POST", "/v1/team-deals", json: valid).status == 401)
            #expect(try await w.send("POST", "/v1/team-deals", json: valid, token: customer.token).status == 403)
            let cases: [(JSON, Int, String)] = [
                (["product_id": .string(product), "team_price_cents": 2_000, "team_size": 3], 400, "team_price_cents"),
                (["product_id": .string(product), "team_price_cents": 0, "team_size": 3], 400, "team_price_cents"),
                (["product_id": .string(product), "team_price_cents": 1_500, "team_size": 11], 400, "team_size"),
                (["product_id": .string(product), "team_price_cents": 1_500, "team_size": 1], 400, "team_size"),
                (["product_id": .string(product), "team_price_cents": 1_500, "team_size": 3, "window_seconds": 59], 400, "window_seconds"),
                (["product_id": "prd_nope", "team_price_cents": 1_500, "team_size": 3], 404, "product_id"),
                (["product_id": .string(product), "team_price_cents": 1_500, "team_size": 3, "price": 1], 400, "price"),
            ]
            for (body, status, field) in cases {
                let answer = try await w.send("POST", "/v1/team-deals", json: body, token: w.merchant)
                #expect(answer.status == status, "\(body): \(answer.text)")
                #expect(answer.json.firstErrorField == field, "\(body)")
            }
            let created = try await w.send("POST", "/v1/team-deals", json: valid, token: w.merchant)
            #expect(created.status == 201)
            #expect(created.json["window_seconds"] == 86_400, "a day by default")
            #expect(created.json["product"]?["id"] == .string(product))
            #expect(created.json["currency"] == "EUR")
            #expect(created.json["active"] == true)
            #expect(created.json.id.hasPrefix("tdl_"))

            let listed = try await w.send("GET", "/v1/team-deals").json["data"]?.arrayValue ?? []
            #expect(listed.map(\.id) == [created.json.id])
            let patched = try await w.send("PATCH", "/v1/team-deals/\(created.json.id)", json: ["active": false], token: w.merchant)
            #expect(patched.status == 200)
            #expect(patched.json["active"] == false)
            #expect(try await w.send("GET", "/v1/team-deals").json["data"] == [])
            let all = try await w.send("GET", "/v1/team-deals?all=true", token: w.merchant).json["data"]?.arrayValue ?? []
            #expect(all.map(\.id) == [created.json.id])
            #expect(try await w.send("GET", "/v1/team-deals/\(created.json.id)").json["active"] == false)
            let refused = try await w.send("POST", "/v1/team-deals/\(created.json.id)/teams", token: customer.token)
            #expect(refused.status == 409)
            #expect(refused.json["code"] == "invalid_state")
            #expect(try await w.send("PATCH", "/v1/team-deals/tdl_nope", json: ["active": false], token: w.merchant).status == 404)
        }
    }

    @Test("teams: 404 before 400, an address of one's own, already_joined, 402 last and nothing held, out_of_stock")
    func joining() async throws {
        try await TeamWorld.with { w in
            let product = try await w.product(price: 2_000, stock: 4)
            let deal = try await w.deal(product, size: 3)
            let (a, b) = (try await w.buyer(), try await w.buyer(name: "Ben"))
            let poor = try await w.buyer(funds: 1_000)
            #expect(try await w.send("POST", "/v1/team-deals/tdl_nope/teams", json: ["bad": 1], token: a.token).status == 404)
            #expect(try await w.send("POST", "/v1/team-deals/\(deal)/teams", json: ["bad": 1], token: a.token).json.firstErrorField == "bad")
            let foreign = try await w.send("POST", "/v1/team-deals/\(deal)/teams", json: ["address_id": "adr_nope"], token: a.token)
            #expect(foreign.status == 404)
            #expect(foreign.json.firstErrorField == "address_id")
            #expect(try await w.send("POST", "/v1/team-deals/\(deal)/teams", token: poor.token).status == 402)
            #expect(try await w.stock(product) == 4, "a refused opening reserves nothing")

            let id = try await w.open(deal, token: a.token).id
            #expect(try await w.send("POST", "/v1/teams/team_nope/members", token: b.token).status == 404)
            let twice = try await w.send("POST", "/v1/teams/\(id)/members", token: a.token)
            #expect(twice.status == 409)
            #expect(twice.json["code"] == "already_joined")
            let broke = try await w.send("POST", "/v1/teams/\(id)/members", token: poor.token)
            #expect(broke.status == 402)
            #expect(try await w.walletKinds(poor.token) == ["top_up"])
            #expect(try await w.send("GET", "/v1/teams/\(id)", token: a.token).json["members"]?.arrayValue?.count == 1)

            // Only one unit is left: a second team cannot reserve three.
            let out = try await w.send("POST", "/v1/team-deals/\(deal)/teams", token: b.token)
            #expect(out.status == 409)
            #expect(out.json["code"] == "out_of_stock")
            #expect(try await w.balance(b.token) == 5_000)
        }
    }

    @Test("reading a team: any signed-in account, order_ids only the caller's own, merchants see all; a retried join replays")
    func visibility() async throws {
        try await TeamWorld.with { w in
            let product = try await w.product()
            let deal = try await w.deal(product, size: 2)
            let (a, b, stranger) = (try await w.buyer(), try await w.buyer(name: "Ben Becker"), try await w.buyer())
            let id = try await w.open(deal, token: a.token).id
            #expect(try await w.send("GET", "/v1/teams/\(id)").status == 401)
            #expect(try await w.send("GET", "/v1/teams/team_nope", token: stranger.token).status == 404)
            let join = { try await w.server.send(
                "POST", "/v1/teams/\(id)/members", json: [:], token: b.token, headers: [("Idempotency-Key", "join-1")]
            ) }
            let first = try await join()
            let again = try await join()
            #expect(first.status == 201)
            #expect(again.status == 201)
            #expect(again.header("Idempotent-Replayed") == "true")
            #expect(again.text == first.text)
            #expect(try await w.balance(b.token) == 3_500, "held once")

            let seenByStranger = try await w.send("GET", "/v1/teams/\(id)", token: stranger.token).json
            #expect(seenByStranger["status"] == "completed")
            #expect(seenByStranger["order_ids"] == [])
            #expect(seenByStranger["members"]?[1]?["display_name"] == "Ben", "first names only")
            #expect(try await w.send("GET", "/v1/teams/\(id)", token: a.token).json["order_ids"]?.arrayValue?.count == 1)
            #expect(try await w.send("GET", "/v1/teams/\(id)", token: w.admin).json["order_ids"]?.arrayValue?.count == 2)
            let mine = try await w.send("GET", "/v1/me/teams", token: b.token).json["data"]?.arrayValue ?? []
            #expect(mine.map(\.id) == [id])
            #expect(try await w.send("GET", "/v1/me/teams", token: stranger.token).json["data"] == [])
        }
    }

    @Test("erasure waits for held money, then a member's first name leaves the teammates' team events and the team")
    func erasure() async throws {
        try await TeamWorld.with { w in
            let product = try await w.product()
            let deal = try await w.deal(product, size: 2)
            let (a, b) = (try await w.buyer(name: "Anna Alt"), try await w.buyer(name: "Bert Brandt"))
            let id = try await w.open(deal, token: a.token).id
            let payout = try await w.send("POST", "/v1/wallet/payouts", json: ["amount_cents": 3_500, "method": "sandbox"], token: a.token)
            #expect(payout.status == 201, "\(payout.text)")
            let held = try await w.send("DELETE", "/v1/me", json: ["password": "correct horse battery"], token: a.token)
            #expect(held.status == 409, "the opener's team price is still held")
            #expect(try await w.send("POST", "/v1/teams/\(id)/members", token: b.token).status == 201)
            #expect(try await w.send("DELETE", "/v1/me", json: ["password": "correct horse battery"], token: a.token).status == 204)
            let names = try await w.teamEvents(of: b.id).flatMap { $0["members"]?.arrayValue ?? [] }
                .compactMap { $0["display_name"]?.stringValue }
            #expect(names.contains("Bert"))
            #expect(!names.contains("Anna"))
            let team = try await w.send("GET", "/v1/teams/\(id)", token: b.token).json
            #expect(team["members"]?[0]?["display_name"] != "Anna")
            #expect(try await w.ledger()["escrow_cents"] == 0)
        }
    }
}
