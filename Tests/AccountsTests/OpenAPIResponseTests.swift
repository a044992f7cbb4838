import Core
import Foundation
import Testing
import TestSupport

/// `Content/openapi.json` against what the server answers: every documented example fits its schema, and the
/// server's real answers fit the documented schemas — the field names, types and enum values a client written from
/// the document alone relies on.
@Suite("The OpenAPI document's answers match the server's")
struct OpenAPIResponseTests {
    @Test("every documented 2xx example fits its schema")
    func examplesFitSchemas() throws {
        let document = try OpenAPIDocument()
        let check = OpenAPISchemaCheck(document: document)
        var checked = 0
        for operation in document.operations {
            for (status, response) in document.members(operation.value["responses"]) where status.hasPrefix("2") {
                guard let content = document.resolve(response)["content"]?["application/json"],
                      let example = content["example"], let schema = content["schema"]
                else { continue }
                checked += 1
                let problems = check.problems(example, schema)
                #expect(problems.isEmpty, "\(operation.name) \(status) example: \(problems.joined(separator: "; "))")
            }
        }
        #expect(checked > 60)
    }

    /// The reads whose real answers must have been checked (they answer 200 in the world below).
    static let mustCheck: Set<String> = [
        "GET /v1/inbox", "GET /v1/inbox/unread-count", "GET /v1/me/notification-settings", "GET /v1/privacy/notices",
        "GET /v1/me/consents", "GET /v1/me/export", "GET /v1/me/following", "GET /v1/hosts/{account_id}",
        "GET /v1/admin/signals", "GET /v1/me", "GET /v1/wallet/transactions", "GET /v1/orders/{id}",
        "GET /v1/conversations", "GET /v1/conversations/{id}", "GET /v1/conversations/{id}/messages", "GET /v1/conversations/{id}/wallet",
        "GET /v1/surveys/pending", "GET /v1/admin/feedback/report", "GET /v1/communities",
        "GET /v1/communities/{id}", "GET /v1/communities/{id}/messages", "GET /v1/red-packets/{id}",
        "GET /v1/live-sessions/{id}", "GET /v1/live-sessions/{id}/replay", "GET /v1/admin/experiments",
        "GET /v1/admin/experiments/{key}", "GET /v1/admin/experiments/{key}/results", "GET /v1/me/experiments/{key}",
        "GET /v1/products/{id}/recommendations", "GET /v1/me/recommendations", "GET /v1/orders/{id}/attribution",
        "GET /v1/team-deals", "GET /v1/team-deals/{id}", "GET /v1/teams/{id}", "GET /v1/me/teams",
        "GET /v1/shares/{code}", "GET /v1/me/referrals", "GET /v1/admin/feedback/patterns",
    ]

    @Test("the server's answers to every documented read, and to the §16–§20 writes, fit the documented schemas")
    func answersFitSchemas() async throws {
        let document = try OpenAPIDocument()
        let check = OpenAPISchemaCheck(document: document)
        await ServerGate.shared.acquire()
        do {
            let server = try await InProcessApp(testClock: true)
            do {
                let world = try await ResponseWorld(server)
                var checked = Set<String>()
                for operation in OpenAPIRequiredTests.checked(document, server) where operation.method == "GET" {
                    guard let schema = Self.schema(of: operation, status: "200", document),
                          let path = world.path(operation.path)
                    else { continue }
                    let answer = try await server.send("GET", path, token: world.admin)
                    guard answer.status == 200 else { continue }
                    let problems = check.problems(answer.json, schema)
                    #expect(problems.isEmpty, "\(operation.name): \(problems.joined(separator: "; "))")
                    checked.insert(operation.name)
                }
                #expect(Self.mustCheck.subtracting(checked).sorted() == [], "reads that did not answer 200")
                for write in world.writes {
                    let operation = try #require(
                        document.operations.first { $0.method == write.method && $0.path == write.pattern },
                        "\(write.method) \(write.pattern) is not documented"
                    )
                    let answer = try await server.send(write.method, write.path, json: write.body, token: world.admin)
                    #expect(answer.status == write.status, "\(operation.name): \(answer.status) \(answer.text)")
                    let schema = try #require(Self.schema(of: operation, status: String(write.status), document))
                    let problems = check.problems(answer.json, schema)
                    #expect(problems.isEmpty, "\(operation.name): \(problems.joined(separator: "; "))")
                }
            } catch { Issue.record(error) }
            await server.stop()
        } catch { Issue.record(error) }
        await ServerGate.shared.release()
    }

    static func schema(of operation: OpenAPIDocument.Operation, status: String, _ document: OpenAPIDocument) -> JSON? {
        guard let response = operation.value["responses"]?[status] else { return nil }
        return document.resolve(response)["content"]?["application/json"]?["schema"]
    }
}

/// An admin with an order, an address, a consent, a followed host and an inbox item, so that the reads answer
/// with something in every list.
struct ResponseWorld {
    struct Write {
        let method: String
        let pattern: String
        let path: String
        let body: JSON?
        let status: Int
    }

    let admin: String
    let host: String
    /// A share code of the admin's.
    let code: String
    let ids: [(prefix: String, id: String)]
    let writes: [Write]

    init(_ server: InProcessApp) async throws {
        let (token, _) = try await server.signUp(name: "Ada Admin", roles: [.admin])
        let (hostToken, host) = try await server.signUp(name: "Hanna Host", roles: [.host])
        let (_, agent) = try await server.signUp(name: "Jonas Agent", roles: [.agent])
        func send(_ method: String, _ path: String, _ body: JSON?, as caller: String? = nil) async throws -> JSON {
            let answer = try await server.send(method, path, json: body, token: caller ?? token)
            guard (200..<300).contains(answer.status) else {
                throw TestClientError("set-up \(method) \(path): \(answer.status) \(answer.text)")
            }
            return answer.json
        }
        func id(_ json: JSON) throws -> String {
            guard let id = json["id"]?.stringValue else { throw TestClientError("no id in \(json)") }
            return id
        }
        _ = try await send("POST", "/v1/wallet/top-ups", ["amount_cents": 100_000, "method": "sandbox"])
        let product = try id(try await send("POST", "/v1/products", [
            "sku": "DOCS-ANSWERS-1", "title": "Tee-Set", "price_cents": 7540, "stock": 50, "category": "kaffee-tee",
        ]))
        let campaign = try id(try await send("POST", "/v1/campaigns", [
            "name": "Docs answers", "discount": ["type": "percent", "value": 10], "valid_from": "2020-01-01T00:00:00Z",
            "valid_until": "2099-12-31T23:59:59Z", "max_coupons": 100,
        ]))
        _ = try await send("POST", "/v1/campaigns", [
            "name": "Goodwill", "discount": ["type": "fixed", "value": 500], "valid_from": "2020-01-01T00:00:00Z",
            "valid_until": "2099-12-31T23:59:59Z", "max_coupons": 100, "key": "goodwill",
        ])
        let address = try id(try await send("POST", "/v1/me/addresses", [
            "name": "Ada Admin", "line1": "Lindenstraße 12", "postal_code": "10969", "city": "Berlin", "country": "de",
        ]))
        let order = try id(try await send("POST", "/v1/orders", [
            "items": [["product_id": .string(product), "quantity": 1]], "address_id": .string(address),
        ]))
        let version = server.services.inbox.notices[.marketing]?.version ?? ""
        _ = try await send("PUT", "/v1/me/consents/marketing", ["granted": true, "notice_version": .string(version)])
        _ = try await send("PUT", "/v1/me/following/\(host)", nil)
        let conversation = try id(try await send("POST", "/v1/conversations", [
            "subject": "The lid does not fit", "text": "Can you send the right one?", "order_id": .string(order),
        ]))
        // The order's inbox item comes from a consumer of the event log.
        await server.settle()
        let item = try await send("GET", "/v1/inbox", nil)["data"]?.arrayValue?.first?["id"]?.stringValue
        guard let item else { throw TestClientError("the order's inbox item never came") }
        let invitation = try await server.surveyInvitation(token: token)
        // The admin's community, where the host writes (the admin's own messages come later: one a second), and the
        // host's, which the admin joins.
        let community = try id(try await send("POST", "/v1/communities", ["name": "Docs answers"]))
        let hostCommunity = try await server.send(
            "POST", "/v1/communities", json: ["name": "Hanna's"], token: hostToken
        ).json["id"]?.stringValue ?? ""
        _ = try await server.send("POST", "/v1/communities/\(community)/members", token: hostToken)
        _ = try await server.send(
            "POST", "/v1/communities/\(community)/messages", json: ["text": "Hello"], token: hostToken
        )
        // A live session for the auction writes, and an ended one with an auction chapter for the reads; Hanna hosts
        // them, since a host may not bid on its own auction (the admin bids).
        let auction: JSON = ["starting_bid_cents": 100, "increment_cents": 50, "duration_seconds": 600]
        let live = try id(try await send("POST", "/v1/live-sessions", ["title": "Docs auction"], as: hostToken))
        _ = try await send("POST", "/v1/live-sessions/\(live)/start", nil, as: hostToken)
        let lot = try id(try await send(
            "POST", "/v1/live-sessions/\(live)/pins", ["product_id": .string(product), "auction": auction],
            as: hostToken
        ))
        let ended = try id(try await send("POST", "/v1/live-sessions", ["title": "Docs replay"], as: hostToken))
        _ = try await send("POST", "/v1/live-sessions/\(ended)/start", nil, as: hostToken)
        let chapter = try id(try await send(
            "POST", "/v1/live-sessions/\(ended)/pins", ["product_id": .string(product), "auction": auction],
            as: hostToken
        ))
        _ = try await send("POST", "/v1/live-sessions/\(ended)/pins/\(chapter)/bids", ["amount_cents": 150])
        _ = try await send("POST", "/v1/live-sessions/\(ended)/end", nil, as: hostToken)
        _ = try await send("PUT", "/v1/me/consents/analytics", ["granted": true, "notice_version": .string(version)])
        _ = try await send("POST", "/v1/admin/experiments", [
            "key": "docs-answers", "variants": [["key": "control", "weight": 1], ["key": "green", "weight": 1]],
        ])
        // Team buys: a deal with the admin's team, and another with the host's team for the admin to join.
        let dealBody: JSON = ["product_id": .string(product), "team_price_cents": 5990, "team_size": 3]
        let deal = try id(try await send("POST", "/v1/team-deals", dealBody))
        let team = try id(try await send("POST", "/v1/team-deals/\(deal)/teams", nil))
        let otherDeal = try id(try await send("POST", "/v1/team-deals", dealBody))
        _ = try await server.send(
            "POST", "/v1/wallet/top-ups", json: ["amount_cents": 10_000, "method": "sandbox"], token: hostToken
        )
        let hostTeam = try await server.send("POST", "/v1/team-deals/\(deal)/teams", token: hostToken)
        guard let hostTeamID = hostTeam.json["id"]?.stringValue else { throw TestClientError("team: \(hostTeam.text)") }
        let share = try await send("POST", "/v1/shares", ["target_type": "team", "target_id": .string(team)])
        code = share["code"]?.stringValue ?? ""
        let packet = try id(try await send("POST", "/v1/red-packets", [
            "total_cents": 500, "count": 3, "community_id": .string(community), "message": "Cheers",
        ]))
        admin = token
        self.host = host
        ids = [
            ("/v1/products/", product), ("/v1/orders/", order), ("/v1/campaigns/", campaign),
            ("/v1/games/", "game_kitten"), ("/v1/admin/accounts/", host), ("/v1/conversations/", conversation),
            ("/v1/communities/", community), ("/v1/red-packets/", packet), ("/v1/live-sessions/", ended),
            ("/v1/team-deals/", deal), ("/v1/teams/", team),
        ]
        let club = "/v1/communities/\(community)"
        let thread = "/v1/conversations/\(conversation)"
        writes = [
            Write(
                method: "POST", pattern: "/v1/inbox/{id}/read", path: "/v1/inbox/\(item)/read", body: nil, status: 200
            ),
            Write(method: "POST", pattern: "/v1/inbox/read-all", path: "/v1/inbox/read-all", body: [:], status: 200),
            Write(
                method: "PATCH", pattern: "/v1/me/notification-settings", path: "/v1/me/notification-settings",
                body: ["quiet_hours": .null, "time_zone": "UTC", "live": false], status: 200
            ),
            Write(
                method: "PUT", pattern: "/v1/me/consents/{purpose}", path: "/v1/me/consents/analytics",
                body: ["granted": false], status: 200
            ),
            Write(
                method: "PUT", pattern: "/v1/me/following/{account_id}", path: "/v1/me/following/\(host)", body: nil,
                status: 200
            ),
            Write(method: "POST", pattern: "/v1/event-tickets", path: "/v1/event-tickets", body: nil, status: 201),
            Write(
                method: "POST", pattern: "/v1/wallet/payouts", path: "/v1/wallet/payouts",
                body: ["amount_cents": 100, "method": "sandbox"], status: 201
            ),
            Write(
                method: "POST", pattern: "/v1/conversations", path: "/v1/conversations",
                body: ["subject": "Where is my parcel?", "text": "It was due yesterday."], status: 201
            ),
            Write(
                method: "POST", pattern: "/v1/conversations/{id}/messages", path: thread + "/messages",
                body: ["text": "The right lid leaves today."], status: 201
            ),
            Write(
                method: "POST", pattern: "/v1/conversations/{id}/assign", path: thread + "/assign",
                body: ["account_id": .string(agent)], status: 200
            ),
            Write(
                method: "POST", pattern: "/v1/conversations/{id}/goodwill", path: thread + "/goodwill",
                body: ["amount_cents": 1500], status: 201
            ),
            Write(
                method: "POST", pattern: "/v1/conversations/{id}/resolve", path: thread + "/resolve", body: nil,
                status: 200
            ),
            Write(
                method: "POST", pattern: "/v1/surveys/invitations/{id}/responses",
                path: "/v1/surveys/invitations/\(invitation)/responses", body: ["score": 2], status: 201
            ),
            Write(
                method: "POST", pattern: "/v1/communities", path: "/v1/communities",
                body: ["name": "Tea lovers", "description": "Brewing tips"], status: 201
            ),
            Write(
                method: "POST", pattern: "/v1/communities/{id}/members",
                path: "/v1/communities/\(hostCommunity)/members", body: nil, status: 201
            ),
            Write(
                method: "POST", pattern: "/v1/communities/{id}/messages", path: club + "/messages",
                body: ["text": "Welcome!"], status: 201
            ),
            Write(
                method: "POST", pattern: "/v1/communities/{id}/mutes", path: club + "/mutes",
                body: ["account_id": .string(host)], status: 200
            ),
            Write(
                method: "POST", pattern: "/v1/red-packets", path: "/v1/red-packets",
                body: ["total_cents": 300, "count": 2, "community_id": .string(community)], status: 201
            ),
            Write(
                method: "POST", pattern: "/v1/red-packets/{id}/claims", path: "/v1/red-packets/\(packet)/claims",
                body: nil, status: 201
            ),
            Write(
                method: "POST", pattern: "/v1/live-sessions/{id}/pins", path: "/v1/live-sessions/\(live)/pins",
                body: ["product_id": .string(product), "auction": auction], status: 201
            ),
            Write(method: "POST", pattern: "/v1/team-deals", path: "/v1/team-deals", body: dealBody, status: 201),
            Write(
                method: "PATCH", pattern: "/v1/team-deals/{id}", path: "/v1/team-deals/\(deal)",
                body: ["active": false], status: 200
            ),
            Write(
                method: "POST", pattern: "/v1/team-deals/{id}/teams", path: "/v1/team-deals/\(otherDeal)/teams",
                body: [:], status: 201
            ),
            Write(
                method: "POST", pattern: "/v1/teams/{id}/members", path: "/v1/teams/\(hostTeamID)/members", body: nil,
                status: 201
            ),
            Write(
                method: "POST", pattern: "/v1/shares", path: "/v1/shares",
                body: ["target_type": "product", "target_id": .string(product)], status: 201
            ),
            Write(
                method: "POST", pattern: "/v1/admin/experiments", path: "/v1/admin/experiments",
                body: ["key": "docs-more", "variants": [["key": "a", "weight": 3], ["key": "b", "weight": 1]]],
                status: 201
            ),
            Write(
                method: "POST", pattern: "/v1/admin/experiments/{key}/stop",
                path: "/v1/admin/experiments/docs-answers/stop", body: nil, status: 200
            ),
            Write(
                method: "POST", pattern: "/v1/admin/recommendations/rebuild", path: "/v1/admin/recommendations/rebuild",
                body: nil, status: 200
            ),
            Write(
                method: "POST", pattern: "/v1/live-sessions/{id}/pins/{pin_id}/bids",
                path: "/v1/live-sessions/\(live)/pins/\(lot)/bids", body: ["amount_cents": 200, "max_cents": 400],
                status: 201
            ),
        ]
    }

    /// The pattern with its parameters filled from this world, or nil when it has none to offer.
    func path(_ pattern: String) -> String? {
        var path = pattern.replacingOccurrences(of: "{account_id}", with: host)
            .replacingOccurrences(of: "{key}", with: "docs-answers").replacingOccurrences(of: "{code}", with: code)
        if path.contains("{id}"), let id = ids.first(where: { pattern.hasPrefix($0.prefix) })?.id {
            path = path.replacingOccurrences(of: "{id}", with: id)
        }
        return path.contains("{") ? nil : path
    }
}

extension InProcessApp {
    /// Opens and resolves a support conversation as `token`'s account and lets the scheduler send the `csat_support`
    /// invitation that the resolution brings (API.md §19: invited at once, through the scheduler).
    /// - Returns: the invitation's id.
    func surveyInvitation(token: String) async throws -> String {
        let body: JSON = ["subject": "Survey", "text": "Hi"]
        let opened = try await send("POST", "/v1/conversations", json: body, token: token)
        guard let id = opened.json["id"]?.stringValue else { throw TestClientError("open: \(opened.text)") }
        _ = try await send("POST", "/v1/conversations/\(id)/resolve", token: token)
        await settle()
        let pending = try await send("GET", "/v1/surveys/pending", token: token).json["data"]?.arrayValue ?? []
        let invitation = pending.first { $0["subject"]?["id"]?.stringValue == id }
        guard let invitation = invitation?["id"]?.stringValue else {
            throw TestClientError("no survey invitation after resolving \(id)")
        }
        return invitation
    }
}
