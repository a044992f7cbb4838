import Core
import Foundation
import Testing
import TestSupport

/// API.md §20 and §24: team buys with the price held in escrow, completion in the last join, failure from the
/// scheduler at the end of the window, and the ledger exact all the way.
@Suite("Team buys")
struct TeamBuyTests {
    @Test("20 accounts at once on a team of 5: exactly 5 members, 15 refused with their money untouched, 5 paid orders")
    func concurrentJoins() async throws {
        try await TeamWorld.withServer { w in
            let product = try await w.product(price: 2_000, stock: 50)
            let deal = try await w.deal(product, price: 1_500, size: 5)
            var buyers: [(token: String, id: String)] = []
            for index in 0..<20 { buyers.append(try await w.buyer(funds: 5_000, name: "Buyer \(index)")) }
            let team = try await w.open(deal, token: buyers[0].token)
            let teamID = team.id
            #expect(teamID.hasPrefix("team_"))
            #expect(team["status"] == "forming")
            #expect(try await w.stock(product) == 45, "team_size units are reserved at the opening")
            #expect(try await w.escrow() == 1_500)

            let server = w.server
            let statuses = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for index in 1..<20 {
                    let token = buyers[index].token
                    group.addTask { (index, try await server.send("POST", "/v1/teams/\(teamID)/members", token: token).status) }
                }
                var all: [Int: Int] = [:]
                for try await (index, status) in group { all[index] = status }
                return all
            }
            #expect(statuses.values.filter { $0 == 201 }.count == 4)
            #expect(statuses.values.filter { $0 == 409 }.count == 15)
            let joined = [0] + statuses.filter { $0.value == 201 }.map(\.key).sorted()
            let refused = statuses.filter { $0.value == 409 }.map(\.key)

            let seen = try await w.send("GET", "/v1/teams/\(teamID)", token: w.merchant).json
            #expect(seen["status"] == "completed")
            #expect(seen["members"]?.arrayValue?.count == 5)
            #expect(Set(seen["members"]?.arrayValue?.compactMap { $0["account_id"]?.stringValue } ?? []) == Set(joined.map { buyers[$0].id }))
            #expect(seen["order_ids"]?.arrayValue?.count == 5, "merchants see every member's order")
            for index in joined {
                #expect(try await w.balance(buyers[index].token) == 3_500)
                let orders = try await w.send("GET", "/v1/orders", token: buyers[index].token).json["data"]?.arrayValue ?? []
                #expect(orders.count == 1)
                #expect(orders.first?["total_cents"] == 1_500)
                #expect(orders.first?["items"]?[0]?["quantity"] == 1)
                #expect(orders.first?["items"]?[0]?["unit_price_cents"] == 1_500)
                // The hold became the payment: the wallet shows the hold and no payment line.
                #expect(try await w.walletKinds(buyers[index].token) == ["hold", "top_up"])
            }
            for index in refused {
                #expect(try await w.balance(buyers[index].token) == 5_000, "a refused join holds nothing")
                #expect(try await w.walletKinds(buyers[index].token) == ["top_up"])
            }
            let ledger = try await w.ledger()
            #expect(ledger["escrow_cents"] == 0)
            #expect(try await w.stock(product) == 45, "the 5 reserved units are the 5 orders'")
            let rules = try await w.inboxRules(buyers[0].token)
            #expect(rules.contains("team_completed"))
        }
    }

    @Test("completion with the test clock: escrow grows with every join and is 0 once the last one pays; an ordinary order after")
    func completion() async throws {
        try await TeamWorld.with(testClock: true) { w in
            let product = try await w.product(price: 2_000, stock: 10)
            let deal = try await w.deal(product, price: 1_500, size: 3, window: 3_600)
            let (a, b, c) = (try await w.buyer(), try await w.buyer(name: "Ben"), try await w.buyer(name: "Cem"))
            let team = try await w.open(deal, token: a.token)
            let id = team.id
            #expect(try await w.escrow() == 1_500)
            let lines = try await w.send("GET", "/v1/wallet/transactions", token: a.token).json["data"]?.arrayValue ?? []
            let hold = lines.first { $0["kind"] == "hold" }
            #expect(hold?["amount_cents"] == -1_500)
            #expect(hold?["reference"] == .string(id), "holds carry reference = the team (API.md §24)")

            try await w.advance(seconds: 1_800)
            let joined = try await w.send("POST", "/v1/teams/\(id)/members", token: b.token)
            #expect(joined.status == 201)
            #expect(joined.json["members"]?.arrayValue?.count == 2)
            #expect(joined.json["order_ids"] == [])
            #expect(joined.json["expires_at"] == team["expires_at"])
            #expect(try await w.escrow() == 3_000)

            try await w.advance(seconds: 1_200)
            let last = try await w.send("POST", "/v1/teams/\(id)/members", token: c.token)
            #expect(last.status == 201)
            #expect(last.json["status"] == "completed")
            let cOrders = last.json["order_ids"]?.arrayValue ?? []
            #expect(cOrders.count == 1, "the caller's own order only")
            #expect(try await w.escrow() == 0)
            #expect(try await w.walletKinds(a.token) == ["hold", "top_up"])
            #expect(try await w.balance(a.token) == 3_500)

            // Every member heard of each change, each seeing only its own order.
            let events = try await w.teamEvents(of: a.id)
            #expect(events.map { $0["members"]?.arrayValue?.count ?? 0 } == [1, 2, 3])
            #expect(events.last?["status"] == "completed")
            #expect(events.last?["order_ids"]?.arrayValue?.count == 1)
            #expect(events.last?["order_ids"] != last.json["order_ids"])
            #expect(try await w.teamEvents(of: c.id).count == 1)
            #expect(try await w.inboxRules(b.token).filter { $0 == "team_completed" }.count == 1)

            // The window's end changes nothing for a completed team.
            try await w.advance(seconds: 3_600)
            #expect(try await w.send("GET", "/v1/teams/\(id)", token: a.token).json["status"] == "completed")
            #expect(try await w.escrow() == 0)

            // Team orders are ordinary orders: shipped, delivered, refunded within 14 days of delivery.
            let bOrder = try #require(try await w.send("GET", "/v1/orders", token: b.token).json["data"]?[0]?.id)
            let shipment = try await w.send("POST", "/v1/orders/\(bOrder)/shipments", json: [
                "carrier": "DHL", "tracking_number": "1", "promised_delivery_date": "2099-01-01",
            ], token: w.merchant)
            #expect(shipment.status == 201, "\(shipment.text)")
            #expect(try await w.send("POST", "/v1/shipments/\(shipment.json.id)/delivered", token: w.merchant).status == 200)
            try await w.advance(seconds: 15 * 86_400)
            let late = try await w.send("POST", "/v1/orders/\(bOrder)/refunds", json: ["reason": "late"], token: b.token)
            #expect(late.status == 422)
            #expect(late.json["code"] == "refund_window_closed")
            let cOrder = try #require(cOrders.first?.stringValue)
            let refund = try await w.send("POST", "/v1/orders/\(cOrder)/refunds", json: ["reason": "changed my mind"], token: c.token)
            #expect(refund.status == 201)
            #expect(refund.json["amount_cents"] == 1_500)
            #expect(try await w.balance(c.token) == 5_000)
            #expect(try await w.stock(product) == 8, "7 left after the opening, one unit back from the refund")
            #expect(try await w.escrow() == 0)
        }
    }

    @Test("basar check: forming, completed and failed teams hold; a member counter out of step with the members fails it")
    func checkedByBasarCheck() async throws {
        try await TeamWorld.withServer(testClock: true) { w in
            let product = try await w.product(price: 2_000, stock: 20)
            let deal = try await w.deal(product, price: 1_500, size: 2, window: 600)
            let (a, b, c, d) = (try await w.buyer(), try await w.buyer(name: "Ben"), try await w.buyer(name: "Cem"), try await w.buyer(name: "Dana"))
            let completed = try await w.open(deal, token: a.token).id
            #expect(try await w.send("POST", "/v1/teams/\(completed)/members", token: b.token).json["status"] == "completed")
            let failed = try await w.open(deal, token: c.token).id
            try await w.advance(seconds: 601)
            #expect(try await w.send("GET", "/v1/teams/\(failed)", token: c.token).json["status"] == "failed")
            _ = try await w.open(deal, token: d.token)

            let path = w.server.databasePath
            let healthy = try await BasarBinary.execute(["check", "--json", "--db", path])
            #expect(healthy.code == 0, "\(healthy.stdout)")
            #expect(try JSONParser.parse(Array(healthy.stdout.utf8))["teams_consistent"]?["ok"] == true)

            try await w.server.database.write { db in
                try db.run("UPDATE teams SET member_count = 1 WHERE id = ?", completed)
            }
            let broken = try await BasarBinary.execute(["check", "--json", "--db", path])
            #expect(broken.code == 1)
            let report = try JSONParser.parse(Array(broken.stdout.utf8))
            #expect(report["teams_consistent"]?["ok"] == false)
            #expect(report["teams_consistent"]?["detail"]?.stringValue?.hasPrefix("1 teams") == true)
            #expect(report["ledger_balanced"]?["ok"] == true, "only the team rule fails")
        }
    }

    @Test("failure at the end of the window: every hold released, the units back, items for every member, no late joins")
    func failure() async throws {
        try await TeamWorld.with(testClock: true) { w in
            let product = try await w.product(price: 2_000, stock: 50)
            let deal = try await w.deal(product, price: 1_500, size: 3, window: 600)
            let (a, b, c) = (try await w.buyer(), try await w.buyer(name: "Ben"), try await w.buyer(name: "Cem"))
            let id = try await w.open(deal, token: a.token).id
            #expect(try await w.send("POST", "/v1/teams/\(id)/members", token: b.token).status == 201)
            #expect(try await w.escrow() == 3_000)
            #expect(try await w.stock(product) == 47)

            try await w.advance(seconds: 590)
            #expect(try await w.send("GET", "/v1/teams/\(id)", token: a.token).json["status"] == "forming")
            #expect(try await w.escrow() == 3_000)

            try await w.advance(seconds: 11)
            let failed = try await w.send("GET", "/v1/teams/\(id)", token: a.token).json
            #expect(failed["status"] == "failed")
            #expect(failed["order_ids"] == [])
            #expect(try await w.escrow() == 0)
            #expect(try await w.stock(product) == 50)
            for buyer in [a, b] {
                #expect(try await w.balance(buyer.token) == 5_000)
                #expect(try await w.walletKinds(buyer.token) == ["hold", "release", "top_up"])
                #expect(try await w.inboxRules(buyer.token).contains("team_failed"))
                #expect(try await w.teamEvents(of: buyer.id).last?["status"] == "failed")
            }
            let release = try await w.send("GET", "/v1/wallet/transactions", token: b.token).json["data"]?[0]
            #expect(release?["amount_cents"] == 1_500)
            #expect(release?["reference"] == .string(id))
            let late = try await w.send("POST", "/v1/teams/\(id)/members", token: c.token)
            #expect(late.status == 409)
            #expect(late.json["code"] == "sold_out")
            #expect(try await w.balance(c.token) == 5_000)
            #expect(try await w.send("GET", "/v1/orders", token: a.token).json["data"] == [])
        }
    }

    @Test("a join past the window but before the scheduler ran is refused; the team fails all the same")
    func joinAfterWindow() async throws {
        try await TeamWorld.with(testClock: true) { w in
            let product = try await w.product()
            let deal = try await w.deal(product, size: 2, window: 60)
            let (a, b) = (try await w.buyer(), try await w.buyer(name: "Ben"))
            let id = try await w.open(deal, token: a.token).id
            let moved = try await w.send("POST", "/v1/admin/test-clock", json: ["advance_seconds": 61], token: w.admin)
            #expect(moved.status == 200)
            let late = try await w.send("POST", "/v1/teams/\(id)/members", token: b.token)
            #expect(late.status == 409)
            #expect(try await w.balance(b.token) == 5_000)
            try await w.advance(seconds: 1)
            #expect(try await w.send("GET", "/v1/teams/\(id)", token: a.token).json["status"] == "failed")
            #expect(try await w.balance(a.token) == 5_000)
        }
    }
}
