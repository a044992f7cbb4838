import Core
import Foundation
import Testing
import TestSupport

@Suite("Chat, moderation and likes")
struct ChatTests {
    @Test("a message answers 201 with its JSON; one per second per account, then 429 with Retry-After")
    func rateLimit() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_900_000_000))
        try await withApp(clock: clock) { server in
            let live = try await LiveFixture(server)
            let id = try await live.session()
            let (viewer, viewerID) = try await server.signUp(name: "Vera Viewer")
            let first = try await server.send("POST", "/v1/live-sessions/\(id)/messages", json: ["text": " Hallo! "], token: viewer)
            #expect(first.status == 201)
            #expect(first.json["id"]?.stringValue?.hasPrefix("msg_") == true)
            #expect(first.json["account_id"]?.stringValue == viewerID)
            #expect(first.json["display_name"]?.stringValue == "Vera Viewer")
            #expect(first.json["text"]?.stringValue == "Hallo!")
            #expect(first.json["created_at"]?.stringValue == "2030-03-17T17:46:40Z")
            let second = try await server.send("POST", "/v1/live-sessions/\(id)/messages", json: ["text": "again"], token: viewer)
            #expect(second.status == 429)
            #expect(second.code == "rate_limited")
            #expect(second.header("Retry-After") == "1")
            clock.advance(by: 1)
            let third = try await server.send("POST", "/v1/live-sessions/\(id)/messages", json: ["text": "again"], token: viewer)
            #expect(third.status == 201)
        }
    }

    @Test("text must be 1–500 characters; chat needs a token")
    func textRules() async throws {
        try await withApp { server in
            let live = try await LiveFixture(server)
            let id = try await live.session()
            let (viewer, _) = try await server.signUp()
            let path = "/v1/live-sessions/\(id)/messages"
            #expect(try await server.send("POST", path, json: ["text": "hi"]).status == 401)
            #expect(try await server.send("POST", path, json: ["text": "   "], token: viewer).status == 400)
            let long = String(repeating: "ä", count: 501)
            #expect(try await server.send("POST", path, json: ["text": .string(long)], token: viewer).status == 400)
            let max = String(repeating: "ä", count: 500)
            #expect(try await server.send("POST", path, json: ["text": .string(max)], token: viewer).status == 201)
            #expect(try await server.send("POST", "/v1/live-sessions/live_nope/messages", json: ["text": "x"], token: viewer).status == 404)
        }
    }

    @Test("the host mutes an account (403 for it afterwards) and deletes messages (204); stats count deleted ones")
    func moderation() async throws {
        try await withServer { server in
            let live = try await LiveFixture(server)
            let id = try await live.session()
            let (troll, trollID) = try await server.signUp(name: "Tom Troll")
            let message = try await server.send("POST", "/v1/live-sessions/\(id)/messages", json: ["text": "spam"], token: troll)
            let messageID = try #require(message.json["id"]?.stringValue)
            let stream = try await live.stream(id)

            let (customer, _) = try await server.signUp()
            #expect(try await server.send("DELETE", "/v1/live-sessions/\(id)/messages/\(messageID)", token: customer).status == 403)
            let deleted = try await server.send("DELETE", "/v1/live-sessions/\(id)/messages/\(messageID)", token: live.hostToken)
            #expect(deleted.status == 204)
            #expect(try await stream.waitFor("message.deleted").json == ["message_id": .string(messageID)])
            #expect(try await server.send("DELETE", "/v1/live-sessions/\(id)/messages/\(messageID)", token: live.hostToken).status == 404)

            let mute = try await server.send(
                "POST", "/v1/live-sessions/\(id)/mutes", json: ["account_id": .string(trollID)], token: live.hostToken
            )
            #expect(mute.status == 200)
            #expect(mute.json == ["session_id": .string(id), "account_id": .string(trollID), "muted": true])
            let muted = try await server.send("POST", "/v1/live-sessions/\(id)/messages", json: ["text": "more"], token: troll)
            #expect(muted.status == 403)
            #expect(muted.code == "forbidden")
            let unknown = try await server.send(
                "POST", "/v1/live-sessions/\(id)/mutes", json: ["account_id": "acct_nope"], token: live.hostToken
            )
            #expect(unknown.status == 404)
            let other = try await live.chat(id, "hello")
            #expect(other.status == 201)
            let stats = try await server.send("GET", "/v1/live-sessions/\(id)/stats", token: live.hostToken)
            #expect(stats.json["messages"]?.intValue == 2)
        }
    }

    @Test("likes answer 202 with the count including them; 1–50 per request; stats and the session show them")
    func likes() async throws {
        try await withApp { server in
            let live = try await LiveFixture(server)
            let id = try await live.session()
            let (viewer, _) = try await server.signUp()
            let path = "/v1/live-sessions/\(id)/likes"
            let first = try await server.send("POST", path, json: ["count": 3], token: viewer)
            #expect(first.status == 202)
            #expect(first.json == ["like_count": 3])
            #expect(try await server.send("POST", path, json: ["count": 50], token: viewer).json["like_count"]?.intValue == 53)
            #expect(try await server.send("POST", path, json: ["count": 51], token: viewer).status == 400)
            #expect(try await server.send("POST", path, json: ["count": 0], token: viewer).status == 400)
            #expect(try await server.send("POST", path, json: ["count": 1]).status == 401)
            #expect(try await server.send("GET", "/v1/live-sessions/\(id)").json["like_count"]?.intValue == 53)
            let stats = try await server.send("GET", "/v1/live-sessions/\(id)/stats", token: live.hostToken)
            #expect(stats.json["likes"]?.intValue == 53)
        }
    }
}
