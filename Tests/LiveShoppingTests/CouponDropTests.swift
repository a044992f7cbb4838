import Core
import Foundation
import Storage
import Testing
import TestSupport

@Suite("Coupon drops")
struct CouponDropTests {
    @Test("15 viewers race for 3 dropped coupons: exactly 3 get one, the rest 409 sold_out")
    func race() async throws {
        try await withServer { server in
            let live = try await LiveFixture(server)
            let campaignID = try await live.campaign(maxCoupons: 10)
            let id = try await live.session()
            let drop = try await server.send(
                "POST", "/v1/live-sessions/\(id)/coupon-drops", json: ["campaign_id": .string(campaignID), "quantity": 3],
                token: live.hostToken
            )
            #expect(drop.status == 201)
            let dropID = try #require(drop.json["id"]?.stringValue)
            #expect(dropID.hasPrefix("drop_"))
            #expect(drop.json == ["id": .string(dropID), "campaign_id": .string(campaignID), "quantity": 3, "remaining": 3])

            var viewers: [String] = []
            for _ in 0..<15 { viewers.append(try await server.signUp().token) }
            let path = "/v1/live-sessions/\(id)/coupon-drops/\(dropID)/claims"
            let results = try await withThrowingTaskGroup(of: (String, TestResponse).self) { group in
                for token in viewers {
                    group.addTask { (token, try await server.send("POST", path, token: token)) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let winners = results.filter { $0.1.status == 201 }
            #expect(winners.count == 3)
            #expect(results.filter { $0.1.code == "sold_out" }.count == 12)
            for (_, response) in winners {
                #expect(response.json["source"]?.stringValue == "live_drop")
                #expect(response.json["campaign_id"]?.stringValue == campaignID)
            }
            let winner = try #require(winners.first?.0)
            let twice = try await server.send("POST", path, token: winner)
            #expect(twice.status == 409)
            #expect(twice.code == "already_claimed")
            let counts = try await server.database.read { db in
                try db.queryOne("SELECT issued, reserved FROM campaigns WHERE id = ?", campaignID)
            }
            #expect(counts?.int64("issued") == 3)
            #expect(counts?.int64("reserved") == 0)
        }
    }

    @Test("claims honour Idempotency-Key; a drop without room is 409 sold_out; the end releases unclaimed coupons")
    func idempotencyAndRelease() async throws {
        try await withApp { server in
            let live = try await LiveFixture(server)
            let campaignID = try await live.campaign(maxCoupons: 5)
            let id = try await live.session()
            let tooBig = try await server.send(
                "POST", "/v1/live-sessions/\(id)/coupon-drops", json: ["campaign_id": .string(campaignID), "quantity": 6],
                token: live.hostToken
            )
            #expect(tooBig.code == "sold_out")
            let unknown = try await server.send(
                "POST", "/v1/live-sessions/\(id)/coupon-drops", json: ["campaign_id": "cmp_nope", "quantity": 1],
                token: live.hostToken
            )
            #expect(unknown.status == 404)
            let drop = try await server.send(
                "POST", "/v1/live-sessions/\(id)/coupon-drops", json: ["campaign_id": .string(campaignID), "quantity": 4],
                token: live.hostToken
            )
            let dropID = try #require(drop.json["id"]?.stringValue)
            let (viewer, _) = try await server.signUp()
            let path = "/v1/live-sessions/\(id)/coupon-drops/\(dropID)/claims"
            let first = try await server.send("POST", path, token: viewer, headers: [("Idempotency-Key", "claim-1")])
            #expect(first.status == 201)
            let replay = try await server.send("POST", path, token: viewer, headers: [("Idempotency-Key", "claim-1")])
            #expect(replay.status == 201)
            #expect(replay.header("Idempotent-Replayed") == "true")
            #expect(replay.body == first.body)
            #expect(try await server.send("POST", "/v1/live-sessions/\(id)/coupon-drops/drop_nope/claims", token: viewer).status == 404)

            #expect(try await server.send("POST", "/v1/live-sessions/\(id)/end", token: live.hostToken).status == 200)
            let counts = try await server.database.read { db in
                try db.queryOne("SELECT issued, reserved FROM campaigns WHERE id = ?", campaignID)
            }
            #expect(counts?.int64("issued") == 1)
            #expect(counts?.int64("reserved") == 0)
        }
    }
}
