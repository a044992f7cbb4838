import Core
import Foundation
import Social
import Testing
import TestSupport

/// API.md §20: communities with members-only chat and moderation, and red packets on escrow.
@Suite("Communities and red packets")
struct CommunityTests {
    @Test("the split matches an independent implementation, adds up exactly and gives every share a cent")
    func split() {
        let seed = Array(UInt8(0)...UInt8(31))
        #expect(RedPacketShares.split(total: 1000, count: 10, seed: seed) == [46, 99, 107, 19, 46, 250, 192, 43, 14, 184])
        #expect(RedPacketShares.split(total: 10, count: 10, seed: seed) == Array(repeating: 1, count: 10))
        for count in [1, 2, 7, 100] {
            let shares = RedPacketShares.split(total: 20_000, count: count, seed: SecureRandom.bytes(32))
            #expect(shares.count == count && shares.reduce(0, +) == 20_000 && shares.allSatisfy { $0 >= 1 })
        }
    }

    static func community(_ w: TrustWorld<some TestApp>) async throws -> (owner: String, id: String) {
        let (owner, _) = try await w.server.signUp(name: "Hanna Host", roles: [.host])
        let created = try await w.server.send("POST", "/v1/communities", json: ["name": "Teefreunde", "description": "Tee"], token: owner)
        #expect(created.status == 201, "\(created.text)")
        return (owner, created.json.id)
    }

    @Test("membership, members-only chat, one message a second, the owner's moderation")
    func chat() async throws {
        try await TrustWorld.with(testClock: true) { w in
            let (owner, id) = try await Self.community(w)
            #expect(try await w.server.send("POST", "/v1/communities", json: ["name": "x"], token: try await w.buyer(funds: 0).token).status == 403)
            let member = try await w.buyer(funds: 0)
            let outsider = try await w.buyer(funds: 0)
            let joined = try await w.server.send("POST", "/v1/communities/\(id)/members", token: member.token)
            #expect(joined.status == 201)
            #expect(try await w.server.send("POST", "/v1/communities/\(id)/members", token: member.token).code == "already_joined")
            #expect(try await w.server.send("GET", "/v1/communities/\(id)").json["member_count"] == 2)
            #expect(try await w.server.send("DELETE", "/v1/communities/\(id)/members/me", token: owner).status == 409)
            #expect(try await w.server.send("GET", "/v1/communities/\(id)/messages", token: outsider.token).status == 403)
            #expect(try await w.server.send("POST", "/v1/communities/\(id)/messages", json: ["text": "hi"], token: outsider.token).status == 403)
            let posted = try await w.server.send("POST", "/v1/communities/\(id)/messages", json: ["text": "Hallo!"], token: member.token)
            #expect(posted.status == 201)
            #expect(Set(posted.json.objectKeys) == ["id", "account_id", "display_name", "text", "created_at"])
            let tooSoon = try await w.server.send("POST", "/v1/communities/\(id)/messages", json: ["text": "again"], token: member.token)
            #expect(tooSoon.status == 429)
            #expect(try await w.server.send("DELETE", "/v1/communities/\(id)/messages/\(posted.json.id)", token: member.token).status == 403)
            #expect(try await w.server.send("DELETE", "/v1/communities/\(id)/messages/\(posted.json.id)", token: owner).status == 204)
            #expect(try await w.server.send("DELETE", "/v1/communities/\(id)/messages/\(posted.json.id)", token: owner).status == 404)
            #expect(try await w.server.send("GET", "/v1/communities/\(id)/messages", token: member.token).json["data"] == [])
            let mute = try await w.server.send("POST", "/v1/communities/\(id)/mutes", json: ["account_id": .string(member.id)], token: owner)
            #expect(mute.json == ["community_id": .string(id), "account_id": .string(member.id), "muted": true])
            try await w.advance(minutes: 1)  // past the rate limit's second, on the test clock
            #expect(try await w.server.send("POST", "/v1/communities/\(id)/messages", json: ["text": "x"], token: member.token).status == 403)
            #expect(try await w.server.send("DELETE", "/v1/communities/\(id)/members/me", token: member.token).status == 204)
            #expect(try await w.server.send("GET", "/v1/communities/\(id)").json["member_count"] == 1)
        }
    }

    @Test("50 members claim a packet of 10 at once: exactly 10 win the recomputed shares; wallets and escrow add up")
    func claims() async throws {
        try await TrustWorld.withServer { w in
            let (owner, id) = try await Self.community(w)
            let sender = try await w.buyer(funds: 5_000)
            _ = try await w.server.send("POST", "/v1/communities/\(id)/members", token: sender.token)
            var members: [(token: String, id: String)] = []
            for _ in 0..<50 {
                let m = try await w.server.signUp()
                _ = try await w.server.send("POST", "/v1/communities/\(id)/members", token: m.token)
                members.append((m.token, m.accountID))
            }
            let outsider = try await w.buyer(funds: 5_000)
            let notMember = try await w.server.send("POST", "/v1/red-packets", json: ["total_cents": 100, "count": 2, "community_id": .string(id)], token: outsider.token)
            #expect(notMember.status == 403)
            let unknown = try await w.server.send("POST", "/v1/red-packets", json: ["total_cents": 100, "count": 2, "community_id": "cmty_x"], token: sender.token)
            #expect(unknown.status == 404)
            #expect(unknown.json["errors"]?.arrayValue?.first?["field"] == "community_id")
            let cheap = try await w.server.send("POST", "/v1/red-packets", json: ["total_cents": 5, "count": 10, "community_id": .string(id)], token: sender.token)
            #expect(cheap.status == 400)
            #expect(cheap.json["errors"]?.arrayValue?.first?["field"] == "total_cents")
            let broke = try await w.server.send("POST", "/v1/red-packets", json: ["total_cents": 10_000, "count": 2, "community_id": .string(id)], token: sender.token)
            #expect(broke.status == 402)

            let sent = try await w.server.send("POST", "/v1/red-packets", json: [
                "total_cents": 1_000, "count": 10, "community_id": .string(id), "message": "Frohes Fest",
            ], token: sender.token, headers: [("Idempotency-Key", "packet-1")])
            #expect(sent.status == 201, "\(sent.text)")
            let packet = sent.json.id
            #expect(sent.json["server_seed"] == .null)
            #expect(try await w.server.send("GET", "/v1/admin/ledger/check", token: w.admin).json["escrow_cents"] == 1_000)
            #expect(try await w.server.send("GET", "/v1/red-packets/\(packet)", token: outsider.token).status == 404)
            #expect(try await w.server.send("POST", "/v1/red-packets/\(packet)/claims", token: outsider.token).status == 404)

            let answers = try await withThrowingTaskGroup(of: (String, TestResponse).self) { group in
                for m in members {
                    group.addTask { (m.id, try await w.server.send("POST", "/v1/red-packets/\(packet)/claims", token: m.token)) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let won = answers.filter { $0.1.status == 201 }
            #expect(won.count == 10)
            #expect(answers.filter { $0.1.status == 409 && $0.1.code == "sold_out" }.count == 40)
            let revealed = try await w.server.send("GET", "/v1/red-packets/\(packet)", token: owner)
            let seed = try #require(revealed.json["server_seed"]?.stringValue.flatMap(Hex.decode))
            #expect(Hex.encode(SHA256.hash(seed)) == revealed.json["server_seed_hash"]?.stringValue)
            let shares = RedPacketShares.split(total: 1_000, count: 10, seed: seed)
            #expect(revealed.json["shares"] == .array(shares.map(JSON.int)))
            for (account, answer) in won {
                let index = Int(answer.json["index"]?.intValue ?? -1)
                #expect(answer.json["amount_cents"]?.intValue == shares[index])
                let token = members.first { $0.id == account }!.token
                #expect(try await w.server.send("GET", "/v1/wallet", token: token).json["balance_cents"]?.intValue == shares[index])
            }
            #expect(Set(won.compactMap { $0.1.json["index"]?.intValue }) == Set(0..<10))
            #expect(try await w.server.send("GET", "/v1/wallet", token: sender.token).json["balance_cents"] == 4_000)
            let ledger = try await w.server.send("GET", "/v1/admin/ledger/check", token: w.admin)
            #expect(ledger.json["balanced"] == true)
            #expect(ledger.json["escrow_cents"] == 0)
            let again = try await w.server.send("POST", "/v1/red-packets/\(packet)/claims", token: won[0].0 == members[0].id ? members[0].token : members.first { $0.id == won[0].0 }!.token)
            #expect(again.code == "already_claimed")
        }
    }

    @Test("a packet expires after 24 hours: the unclaimed rest goes back to the sender, the seed is revealed")
    func expiry() async throws {
        try await TrustWorld.with(testClock: true) { w in
            let (_, id) = try await Self.community(w)
            let sender = try await w.buyer(funds: 1_000)
            let claimer = try await w.buyer(funds: 0)
            for token in [sender.token, claimer.token] { _ = try await w.server.send("POST", "/v1/communities/\(id)/members", token: token) }
            let packet = try await w.server.send("POST", "/v1/red-packets", json: ["total_cents": 500, "count": 5, "community_id": .string(id)], token: sender.token).json.id
            let claim = try await w.server.send("POST", "/v1/red-packets/\(packet)/claims", token: claimer.token)
            #expect(claim.status == 201)
            let share = try #require(claim.json["amount_cents"]?.intValue)
            try await w.advance(minutes: 24 * 60 + 1)
            #expect(try await w.server.send("GET", "/v1/wallet", token: sender.token).json["balance_cents"]?.intValue == 500 + (500 - share))
            let lines = try await w.server.send("GET", "/v1/wallet/transactions", token: sender.token).json["data"]?.arrayValue ?? []
            #expect(lines.first?["kind"] == "release")
            #expect(try await w.server.send("GET", "/v1/red-packets/\(packet)", token: sender.token).json["server_seed"]?.stringValue != nil)
            let late = try await w.server.send("POST", "/v1/red-packets/\(packet)/claims", token: (try await w.server.signUp()).token)
            #expect(late.status == 404, "a non-member sees nothing")
            let other = try await w.server.signUp()
            _ = try await w.server.send("POST", "/v1/communities/\(id)/members", token: other.token)
            #expect(try await w.server.send("POST", "/v1/red-packets/\(packet)/claims", token: other.token).status == 422)
            let ledger = try await w.server.send("GET", "/v1/admin/ledger/check", token: w.admin)
            #expect(ledger.json["balanced"] == true)
            #expect(ledger.json["escrow_cents"] == 0)
        }
    }
}

@Suite("basar red-packets verify")
struct RedPacketVerifyCLITests {
    @Test("recomputes the shares and the commitment from a revealed seed")
    func verify() async throws {
        let seed = (0..<32).map { String(format: "%02x", $0) }.joined()
        let run = try await BasarBinary.execute(["red-packets", "verify", "--seed", seed, "--total", "1000", "--count", "10", "--json"])
        #expect(run.code == 0, "\(run.stderr)")
        let json = try JSONParser.parse(Array(run.stdout.utf8))
        #expect(json["shares"] == [46, 99, 107, 19, 46, 250, 192, 43, 14, 184])
        #expect(json["server_seed_hash"] == "630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd")
        #expect(try await BasarBinary.execute(["red-packets", "verify", "--seed", "abc", "--total", "10", "--count", "2"]).code == 64)
    }
}
