import Accounts
import Core
import HTTP
import Social
import Storage

/// API.md §20: communities, their chat and event stream, and red packets.
enum CommunityRoutes {
    static func routes(_ s: Services) -> [Route] {
        [
            Route(.POST, "/v1/communities", .anyRole([.host, .merchant])) { req in
                let body = try req.body(allowed: ["name", "description"])
                let community = try await s.communities.create(
                    name: try body.text("name", 1...100), description: try body.optionalText("description", 0...1000) ?? "",
                    by: req.caller
                )
                return .json(201, community.json)
            },
            Route(.GET, "/v1/communities", .everyone) { req in
                .json(200, CommerceJSON.list(try await s.communities.communities(page: try req.page()), \.json))
            },
            Route(.GET, "/v1/communities/{id}", .everyone) { req in
                .json(200, try await s.communities.community(req.parameter("id")).json)
            },
            Route(.POST, "/v1/communities/{id}/members", .signedIn) { req in
                let id = req.parameter("id")
                _ = try await s.communities.community(id)
                _ = try req.body(allowed: [])
                let joined = try await s.communities.join(id, by: req.caller.accountID)
                return .json(201, [
                    "community_id": .string(id), "account_id": .string(req.caller.accountID), "joined_at": CommerceJSON.time(joined),
                ])
            },
            Route(.DELETE, "/v1/communities/{id}/members/me", .signedIn) { req in
                try await s.communities.leave(req.parameter("id"), by: req.caller.accountID)
                return .noContent
            },
            Route(.GET, "/v1/communities/{id}/messages", .signedIn) { req in
                let page = try await s.communities.messages(of: req.parameter("id"), for: req.caller.accountID, page: try req.page())
                return .json(200, CommerceJSON.list(page, \.json))
            },
            Route(.POST, "/v1/communities/{id}/messages", .signedIn) { req in
                let id = req.parameter("id")
                try await s.communities.requireMember(id, req.caller.accountID)
                let text = try req.body(allowed: ["text"]).text("text", 1...500)
                return .json(201, try await s.communities.post(text, to: id, by: req.caller).json)
            },
            Route(.DELETE, "/v1/communities/{id}/messages/{message_id}", .signedIn) { req in
                try await s.communities.deleteMessage(req.parameter("message_id"), in: req.parameter("id"), by: req.caller)
                return .noContent
            },
            Route(.POST, "/v1/communities/{id}/mutes", .signedIn) { req in
                let id = req.parameter("id")
                _ = try await s.communities.community(id)
                let account = try req.body(allowed: ["account_id"]).string("account_id")
                try await s.communities.mute(account, in: id, by: req.caller)
                return .json(200, ["community_id": .string(id), "account_id": .string(account), "muted": true])
            },
            Route(.GET, "/v1/communities/{id}/events", .signedIn) { req in
                let id = req.parameter("id")
                try await s.communities.requireMember(id, req.caller.accountID)
                let start = try await s.communityEvents.prepare(stream: CommunityEvent.stream(id), lastEventID: req.lastEventID)
                return HTTPResponse(status: 200, headers: EventStreamRoute.sseHeaders, body: .stream({ writer in
                    writer.onClose(s.communityEvents.attach(WriterSink(writer), to: start))
                }))
            },
            Route(.POST, "/v1/red-packets", .signedIn) { req in
                let body = try req.body(allowed: ["total_cents", "count", "community_id", "message"])
                let total = try body.int("total_cents", 1...20_000)
                let count = try body.int("count", 1...100)
                let community = try body.string("community_id")
                let message = try body.optionalText("message", 0...100)
                return HTTPResponse(try await s.redPackets.send(
                    total: total, count: count, communityID: community, message: message, by: req.caller,
                    key: try req.idempotencyKey(), answering: .json { $0.json }
                ))
            },
            Route(.GET, "/v1/red-packets/{id}", .signedIn) { req in
                .json(200, try await s.redPackets.packet(req.parameter("id"), for: req.caller).json)
            },
            Route(.POST, "/v1/red-packets/{id}/claims", .signedIn) { req in
                let id = req.parameter("id")
                _ = try await s.redPackets.packet(id, for: req.caller)
                _ = try req.body(allowed: [])
                let key = try req.idempotencyKey()
                return HTTPResponse(try await s.redPackets.claim(id, by: req.caller, key: key, answering: .json { share in
                    [
                        "red_packet_id": .string(id), "amount_cents": .int(share.amount), "currency": .string(Money.currency),
                        "index": .int(share.index),
                    ]
                }))
            },
        ]
    }

    /// The names of a community's stream: all of them are for its members.
    static func communityEventName(_ name: String) -> String? { name }
}

extension Community {
    var json: JSON {
        [
            "id": .string(id), "name": .string(name), "description": .string(description),
            "owner": ["account_id": .string(ownerID), "display_name": .string(ownerName)], "member_count": .int(memberCount),
            "created_at": CommerceJSON.time(createdAt),
        ]
    }
}
