import Core
import Foundation
import Testing
import TestSupport

@Suite("Live sessions")
struct LiveSessionTests {
    @Test("a host creates a session whose JSON has every documented key")
    func createShape() async throws {
        try await withApp { server in
            let live = try await LiveFixture(server)
            let response = try await server.send("POST", "/v1/live-sessions", json: [
                "title": "Tea time", "description": "Porcelain", "scheduled_at": "2030-01-02T18:00:00Z",
                "stream_url": "https://media.example/live/1.m3u8",
            ], token: live.hostToken)
            #expect(response.status == 201)
            let json = response.json
            let keys = ["id", "host", "title", "description", "status", "stream_url", "scheduled_at", "started_at",
                        "ended_at", "viewer_count", "like_count", "pins"]
            for key in keys { #expect(json[key] != nil, "missing \(key)") }
            #expect(json["id"]?.stringValue?.hasPrefix("live_") == true)
            #expect(json["host"]?["account_id"]?.stringValue == live.hostID)
            #expect(json["host"]?["display_name"]?.stringValue == "Hanna Host")
            #expect(json["status"]?.stringValue == "scheduled")
            #expect(json["scheduled_at"]?.stringValue == "2030-01-02T18:00:00Z")
            #expect(json["started_at"] == .null)
            #expect(json["viewer_count"]?.intValue == 0)
            #expect(json["pins"] == .array([]))
            let id = try #require(json["id"]?.stringValue)
            let fetched = try await server.send("GET", "/v1/live-sessions/\(id)")
            #expect(fetched.status == 200)
            #expect(fetched.json["title"]?.stringValue == "Tea time")
        }
    }

    @Test("creating needs the host role, and the body is validated")
    func createRules() async throws {
        try await withApp { server in
            let live = try await LiveFixture(server)
            let (customer, _) = try await server.signUp()
            #expect(try await server.send("POST", "/v1/live-sessions", json: ["title": "x"]).status == 401)
            let forbidden = try await server.send("POST", "/v1/live-sessions", json: ["title": "x"], token: customer)
            #expect(forbidden.status == 403)
            #expect(forbidden.code == "forbidden")
            let noTitle = try await server.send("POST", "/v1/live-sessions", json: ["description": "x"], token: live.hostToken)
            #expect(noTitle.status == 400)
            let badTime = try await server.send(
                "POST", "/v1/live-sessions", json: ["title": "x", "scheduled_at": "tomorrow"], token: live.hostToken
            )
            #expect(badTime.status == 400)
            #expect(badTime.json["errors"]?.arrayValue?.first?["field"]?.stringValue == "scheduled_at")
            let unknown = try await server.send(
                "POST", "/v1/live-sessions", json: ["title": "x", "status": "live"], token: live.hostToken
            )
            #expect(unknown.status == 400)
        }
    }

    @Test("scheduled → live → ended, and every other transition is 409 invalid_state")
    func transitions() async throws {
        try await withApp { server in
            let live = try await LiveFixture(server)
            let id = try await live.session(start: false)
            let endScheduled = try await server.send("POST", "/v1/live-sessions/\(id)/end", token: live.hostToken)
            #expect(endScheduled.status == 409)
            #expect(endScheduled.code == "invalid_state")
            let started = try await server.send("POST", "/v1/live-sessions/\(id)/start", token: live.hostToken)
            #expect(started.status == 200)
            #expect(started.json["status"]?.stringValue == "live")
            #expect(started.json["started_at"]?.stringValue != nil)
            let startAgain = try await server.send("POST", "/v1/live-sessions/\(id)/start", token: live.hostToken)
            #expect(startAgain.status == 409)
            #expect(startAgain.code == "invalid_state")
            let ended = try await server.send("POST", "/v1/live-sessions/\(id)/end", json: [:], token: live.hostToken)
            #expect(ended.status == 200)
            #expect(ended.json["status"]?.stringValue == "ended")
            #expect(ended.json["ended_at"]?.stringValue != nil)
            for action in ["start", "end"] {
                let again = try await server.send("POST", "/v1/live-sessions/\(id)/\(action)", token: live.hostToken)
                #expect(again.status == 409, "\(action) after end")
                #expect(again.code == "invalid_state")
            }
            let withBody = try await server.send(
                "POST", "/v1/live-sessions/\(id)/start", json: ["now": true], token: live.hostToken
            )
            #expect(withBody.status == 400)
        }
    }

    @Test("pins, drops, chat, likes and claims outside a live session are 409 invalid_state")
    func outsideLive() async throws {
        try await withApp { server in
            let live = try await LiveFixture(server)
            let productID = try await live.product(stock: 10)
            let campaignID = try await live.campaign()
            let (viewer, _) = try await server.signUp()
            let scheduled = try await live.session(start: false)
            let ended = try await live.session()
            // A drop made while live, claimed after the end.
            let drop = try await server.send(
                "POST", "/v1/live-sessions/\(ended)/coupon-drops", json: ["campaign_id": .string(campaignID), "quantity": 2],
                token: live.hostToken
            )
            let dropID = try #require(drop.json["id"]?.stringValue)
            _ = try await server.send("POST", "/v1/live-sessions/\(ended)/end", token: live.hostToken)
            for id in [scheduled, ended] {
                let pin = try await server.send(
                    "POST", "/v1/live-sessions/\(id)/pins", json: ["product_id": .string(productID)], token: live.hostToken
                )
                #expect(pin.code == "invalid_state")
                let drop = try await server.send(
                    "POST", "/v1/live-sessions/\(id)/coupon-drops",
                    json: ["campaign_id": .string(campaignID), "quantity": 1], token: live.hostToken
                )
                #expect(drop.code == "invalid_state")
                let chat = try await server.send("POST", "/v1/live-sessions/\(id)/messages", json: ["text": "hi"], token: viewer)
                #expect(chat.code == "invalid_state")
                let like = try await server.send("POST", "/v1/live-sessions/\(id)/likes", json: ["count": 1], token: viewer)
                #expect(like.code == "invalid_state")
            }
            let claim = try await server.send("POST", "/v1/live-sessions/\(ended)/coupon-drops/\(dropID)/claims", token: viewer)
            #expect(claim.status == 409)
            #expect(claim.code == "invalid_state")
        }
    }

    @Test("another host's session answers 403, an unknown one 404, an admin may act")
    func ownership() async throws {
        try await withApp { server in
            let live = try await LiveFixture(server)
            let (otherHost, _) = try await server.signUp(roles: [.host])
            let (admin, _) = try await server.signUp(roles: [.admin])
            let productID = try await live.product(stock: 5)
            let campaignID = try await live.campaign()
            let id = try await live.session(start: false)
            let start = try await server.send("POST", "/v1/live-sessions/\(id)/start", token: otherHost)
            #expect(start.status == 403)
            #expect(start.code == "forbidden")
            #expect(try await server.send("POST", "/v1/live-sessions/\(id)/start", token: live.hostToken).status == 200)
            let requests: [(String, String, JSON?)] = [
                ("POST", "/v1/live-sessions/\(id)/end", nil),
                ("POST", "/v1/live-sessions/\(id)/pins", ["product_id": .string(productID)]),
                ("POST", "/v1/live-sessions/\(id)/coupon-drops", ["campaign_id": .string(campaignID), "quantity": 1]),
                ("GET", "/v1/live-sessions/\(id)/stats", nil),
                ("DELETE", "/v1/live-sessions/\(id)/messages/msg_x", nil),
                ("DELETE", "/v1/live-sessions/\(id)/pins/pin_x", nil),
                ("POST", "/v1/live-sessions/\(id)/mutes", ["account_id": .string(live.hostID)]),
            ]
            for (method, path, json) in requests {
                let response = try await server.send(method, path, json: json, token: otherHost)
                #expect(response.status == 403, "\(method) \(path)")
                let missing = try await server.send(
                    method, path.replacingOccurrences(of: id, with: "live_nope"), json: json, token: live.hostToken
                )
                #expect(missing.status == 404, "\(method) \(path) of an unknown session")
            }
            #expect(try await server.send("GET", "/v1/live-sessions/\(id)/stats", token: admin).status == 200)
            #expect(try await server.send("GET", "/v1/live-sessions/live_nope").status == 404)
            #expect(try await server.send("GET", "/v1/live-sessions/live_nope/events").status == 404)
        }
    }

    @Test("sessions are listed newest first, filtered by status, paged")
    func listing() async throws {
        try await withApp { server in
            let live = try await LiveFixture(server)
            let scheduled = try await live.session(start: false)
            let running = try await live.session()
            let all = try await server.send("GET", "/v1/live-sessions")
            #expect(all.status == 200)
            #expect(all.json["data"]?.arrayValue?.count == 2)
            let onlyLive = try await server.send("GET", "/v1/live-sessions?status=live")
            #expect(onlyLive.json["data"]?.arrayValue?.map { $0["id"]?.stringValue } == [running])
            let onlyScheduled = try await server.send("GET", "/v1/live-sessions?status=scheduled")
            #expect(onlyScheduled.json["data"]?.arrayValue?.map { $0["id"]?.stringValue } == [scheduled])
            #expect(try await server.send("GET", "/v1/live-sessions?status=paused").status == 400)
            let first = try await server.send("GET", "/v1/live-sessions?limit=1")
            let cursor = try #require(first.json["next_cursor"]?.stringValue)
            let second = try await server.send("GET", "/v1/live-sessions?limit=1&cursor=\(cursor)")
            #expect(second.json["next_cursor"] == .null)
            let ids = [first, second].compactMap { $0.json["data"]?.arrayValue?.first?["id"]?.stringValue }
            #expect(Set(ids) == [scheduled, running])
        }
    }

    @Test("the demo data holds a live session with a description by the demo host")
    func demo() async throws {
        let server = try await InProcessApp(demo: true)
        do {
            let list = try await server.send("GET", "/v1/live-sessions")
            let session = try #require(list.json["data"]?.arrayValue?.first)
            #expect(session["description"]?.stringValue?.isEmpty == false)
            #expect(session["host"]?["display_name"]?.stringValue == "Hanna Host")
            #expect(["scheduled", "live"].contains(session["status"]?.stringValue ?? ""))
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}
