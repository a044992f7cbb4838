import Core
import Foundation
import Storage
import Testing
import TestSupport

/// Counts across nodes (API.md §24 "rate limits, login limits, viewer counts and peaks are counted across the
/// cluster"): three servers on one PostgreSQL database, as in ``ClusterStreamTests``.
@Suite("Rate limits, viewer counts and likes across three nodes", .enabled(if: Database.testsUsePostgres, "needs PostgreSQL"))
struct ClusterCountTests {
    @Test("an account's second chat message within a second through another node is 429 rate_limited")
    func chatLimitAcrossNodes() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_900_000_000))
        try await ClusterStreamTests.withNodes(clock: clock) { nodes in
            let live = try await LiveFixture(nodes[0])
            let id = try await live.session()
            let (viewer, _) = try await nodes[0].signUp(name: "Vera Viewer")
            let path = "/v1/live-sessions/\(id)/messages"
            #expect(try await nodes[0].send("POST", path, json: ["text": "Hallo!"], token: viewer).status == 201)
            for node in nodes {
                let again = try await node.send("POST", path, json: ["text": "again"], token: viewer)
                #expect(again.status == 429)
                #expect(again.code == "rate_limited")
                #expect(again.header("Retry-After") == "1")
            }
            clock.advance(by: 1)
            #expect(try await nodes[2].send("POST", path, json: ["text": "later"], token: viewer).status == 201)
            #expect(try await nodes[1].send("POST", path, json: ["text": "too soon"], token: viewer).status == 429)
        }
    }

    @Test("community chat: one message a second across nodes; a refused message gives its second back")
    func communityLimitAcrossNodes() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_900_000_000))
        try await ClusterStreamTests.withNodes(clock: clock) { nodes in
            let (owner, _) = try await nodes[0].signUp(name: "Olga Owner", roles: [.host])
            let (member, memberID) = try await nodes[0].signUp(name: "Mia Member")
            var communities: [String] = []
            for name in ["Teefreunde", "Kaffeerunde"] {
                let created = try await nodes[0].send(
                    "POST", "/v1/communities", json: ["name": .string(name), "description": "Tee"], token: owner
                )
                try #require(created.status == 201, "\(created.text)")
                let id = try #require(created.json["id"]?.stringValue)
                #expect(try await nodes[0].send("POST", "/v1/communities/\(id)/members", token: member).status == 201)
                communities.append(id)
            }
            let muted = try await nodes[0].send(
                "POST", "/v1/communities/\(communities[0])/mutes", json: ["account_id": .string(memberID)], token: owner
            )
            #expect(muted.status == 200)
            // Refused after the slot was claimed: the second is given back, so the next message may follow at once.
            let refused = try await nodes[1].send(
                "POST", "/v1/communities/\(communities[0])/messages", json: ["text": "hi"], token: member
            )
            #expect(refused.status == 403)
            let path = "/v1/communities/\(communities[1])/messages"
            #expect(try await nodes[2].send("POST", path, json: ["text": "Hallo!"], token: member).status == 201)
            let tooSoon = try await nodes[0].send("POST", path, json: ["text": "again"], token: member)
            #expect(tooSoon.status == 429)
            #expect(tooSoon.code == "rate_limited")
            // Erasure (API.md §16) takes the account's slots with it.
            let erased = try await nodes[1].send(
                "DELETE", "/v1/me", json: ["password": "correct horse battery"], token: member
            )
            #expect(erased.status == 204, "\(erased.text)")
            let slots = try await nodes[0].database.read { db in
                try db.scalar("SELECT COUNT(*) FROM rate_slots WHERE account_id = ?", memberID)
            }
            #expect(slots == 0)
        }
    }

    @Test("streams open on two nodes count as their sum in the session's viewer count, events and peak")
    func viewersAcrossNodes() async throws {
        try await ClusterStreamTests.withNodes { nodes in
            let a = try await LiveFixture(nodes[0])
            let id = try await a.session()
            let b = LiveFixture(server: nodes[1], hostToken: a.hostToken, hostID: a.hostID)
            // A node that stopped without clearing its row: silent for longer than a few seconds, it counts no more.
            try await nodes[0].database.write { db in
                try db.run(
                    "INSERT INTO live_node_viewers (session_id, node, viewers, seen_at) VALUES (?, 'gone', 40, ?)",
                    id, Int64(Date().timeIntervalSince1970 * 1000) - 10_000
                )
            }
            let watcher = try await a.stream(id)
            var streams = [try await b.stream(id), try await b.stream(id)]
            // Every node answers the sum once the timers (twice a second) published the counts.
            for node in nodes { #expect(try await Self.viewerCount(of: id, on: node, becomes: 3) == 3) }
            let listed = try await nodes[2].send("GET", "/v1/live-sessions?status=live")
            let listedSession = listed.json["data"]?.arrayValue?.first { $0["id"]?.stringValue == id }
            #expect(listedSession?["viewer_count"]?.intValue == 3)
            var seen: Int64 = -1
            while seen != 3 {
                seen = try await watcher.waitFor("viewers", timeout: 5).json["viewer_count"]?.intValue ?? -1
            }
            #expect(try await Self.peak(of: id, on: nodes[2], host: a.hostToken, becomes: 3) == 3)
            streams[0].disconnect()
            streams.removeFirst()
            #expect(try await Self.viewerCount(of: id, on: nodes[2], becomes: 2) == 2)
            #expect(try await Self.peak(of: id, on: nodes[0], host: a.hostToken, becomes: 3) == 3)
            // A node that shuts down takes its row along: its stream stops counting at once, not 5 s later.
            await nodes[1].stop(removeDatabase: false)
            let stopped = ContinuousClock.now
            #expect(try await Self.viewerCount(of: id, on: nodes[2], becomes: 1) == 1)
            #expect(ContinuousClock.now - stopped < .seconds(3))
            withExtendedLifetime(streams) {}
        }
    }

    @Test("likes on two nodes add up on every node: the session, its stats, a like's answer and a stream's likes events")
    func likesAcrossNodes() async throws {
        try await ClusterStreamTests.withNodes { nodes in
            let a = try await LiveFixture(nodes[0])
            let id = try await a.session()
            let watcher = try await LiveFixture(server: nodes[2], hostToken: a.hostToken, hostID: a.hostID).stream(id)
            let (fan, _) = try await nodes[0].signUp(name: "Fay Fan")
            let path = "/v1/live-sessions/\(id)/likes"
            #expect(try await nodes[0].send("POST", path, json: ["count": 5], token: fan).status == 202)
            #expect(try await nodes[1].send("POST", path, json: ["count": 7], token: fan).status == 202)
            for node in nodes {
                let count = try await Self.eventually(12) {
                    try await node.send("GET", "/v1/live-sessions/\(id)").json["like_count"]?.intValue
                }
                #expect(count == 12)
            }
            let stats = try await nodes[1].send("GET", "/v1/live-sessions/\(id)/stats", token: a.hostToken)
            #expect(stats.json["likes"]?.intValue == 12)
            var seen: Int64 = -1
            while seen != 12 {
                seen = try await watcher.waitFor("likes", timeout: 5).json["like_count"]?.intValue ?? -1
            }
            // A like's answer includes the other nodes' likes once they were seen.
            #expect(try await nodes[0].send("POST", path, json: ["count": 1], token: fan).json["like_count"] == 13)
        }
    }

    /// The session's `viewer_count` on `node`, read again until it is `expected` (5 seconds at most).
    static func viewerCount(of id: String, on node: TestServer, becomes expected: Int64) async throws -> Int64 {
        try await eventually(expected) {
            try await node.send("GET", "/v1/live-sessions/\(id)").json["viewer_count"]?.intValue
        }
    }

    /// The session's `peak_viewers` on `node`, read again until it is `expected` (5 seconds at most).
    static func peak(of id: String, on node: TestServer, host: String, becomes expected: Int64) async throws -> Int64 {
        try await eventually(expected) {
            try await node.send("GET", "/v1/live-sessions/\(id)/stats", token: host).json["peak_viewers"]?.intValue
        }
    }

    /// Calls `read` every 50 ms until it answers `expected`, 100 times at most; the last answer (-1 for none).
    static func eventually(_ expected: Int64, _ read: () async throws -> Int64?) async throws -> Int64 {
        var value: Int64 = -1
        for _ in 0..<100 {
            value = try await read() ?? -1
            if value == expected { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        return value
    }
}
