import Core
import Foundation
import Testing
import TestSupport

/// `Content/openapi.json` against the server: each `required` field of a documented request body is one the server
/// rejects when it is missing (`400` naming it), the documented example passes the server's validation, every
/// operation carries its texts and examples, and every `401` names the Bearer scheme.
@Suite("The OpenAPI document's required fields, examples and 401s match the server")
struct OpenAPIRequiredTests {
    @Test("every operation has a summary, a description and examples; every schema a description")
    func texts() throws {
        let document = try OpenAPIDocument()
        for operation in document.operations {
            let name = operation.name
            #expect(operation.value["summary"]?.stringValue?.isEmpty == false, "\(name) has no summary")
            #expect(operation.value["description"]?.stringValue?.isEmpty == false, "\(name) has no description")
            if let content = operation.value["requestBody"]?["content"]?["application/json"] {
                let example = content["example"]
                #expect(example != nil, "\(name): request example")
                let required = document.resolve(content["schema"] ?? .null)["required"]?.arrayValue ?? []
                for case let .string(field) in required {
                    #expect(example?[field] != nil, "\(name): the example lacks the required \(field)")
                }
            }
            for (status, response) in document.members(operation.value["responses"]) where status.hasPrefix("2") {
                for (media, content) in document.members(document.resolve(response)["content"]) {
                    #expect(content["example"] != nil, "\(name) \(status) \(media): no example")
                }
            }
        }
        for (name, schema) in document.members(document.root["components"]?["schemas"]) {
            #expect(schema["description"]?.stringValue?.isEmpty == false, "schema \(name) has no description")
        }
    }

    @Test("every operation that needs a token documents a 401 with WWW-Authenticate: Bearer")
    func documentedUnauthorized() throws {
        let document = try OpenAPIDocument()
        for operation in document.operations where operation.needsToken {
            let unauthorized = document.resolve(operation.value["responses"]?["401"] ?? .null)
            let header = document.resolve(unauthorized["headers"]?["WWW-Authenticate"] ?? .null)
            #expect(header["schema"]?["const"]?.stringValue == "Bearer", "\(operation.name): 401 lacks the header")
        }
    }

    @Test("without a required field the documented example is 400 naming it, without an optional one it is not")
    func requiredFields() async throws {
        let document = try OpenAPIDocument()
        await ServerGate.shared.acquire()
        do {
            // With the test clock, so that its routes answer as documented instead of 404 (API.md §13).
            let server = try await InProcessApp(testClock: true)
            do {
                let world = try await RequiredWorld(server)
                var counts = (required: 0, optional: 0)
                for operation in Self.checked(document, server) {
                    try await check(operation, document, server, world, counts: &counts)
                }
                #expect(counts.required >= 40 && counts.optional >= 20, "checked \(counts) fields")
            } catch { Issue.record(error) }
            await server.stop()
        } catch { Issue.record(error) }
        await ServerGate.shared.release()
    }

    @Test("every 401 carries WWW-Authenticate: Bearer — no token, an unknown token, a wrong password")
    func unauthorizedHeader() async throws {
        let document = try OpenAPIDocument()
        let server = try await InProcessApp(testClock: true)
        do {
            var answers: [(String, TestResponse)] = []
            for operation in Self.checked(document, server) where operation.needsToken {
                let body: JSON? = ["POST", "PUT", "PATCH"].contains(operation.method) ? [:] : nil
                let path = operation.path.replacingOccurrences(
                    of: #"\{[a-z_]+\}"#, with: "zz_missing", options: .regularExpression
                )
                answers.append((operation.name, try await server.send(operation.method, path, json: body)))
                let unknown = try await server.send(operation.method, path, json: body, token: "not-a-token")
                answers.append((operation.name + " (unknown token)", unknown))
            }
            let login = try await server.send(
                "POST", "/v1/sessions", json: ["email": "nobody@example.com", "password": "wrong password!"]
            )
            answers.append(("POST /v1/sessions (wrong password)", login))
            #expect(answers.count > 80)
            for (name, answer) in answers {
                #expect(answer.status == 401, "\(name): \(answer.status)")
                let header = answer.header("WWW-Authenticate")
                #expect(header == "Bearer", "\(name): WWW-Authenticate \(header ?? "missing")")
            }
        } catch { Issue.record(error) }
        await server.stop()
    }

    /// The documented operations the router has; the drift test reports the others.
    static func checked(_ document: OpenAPIDocument, _ server: some TestApp) -> [OpenAPIDocument.Operation] {
        let routed = Set(server.app.api.routes.map { "\($0.method.rawValue) \($0.pattern)" })
        return document.operations.filter { routed.contains($0.name) }
    }

    /// Sends the operation's example whole, then once without each of its fields.
    private func check(
        _ operation: OpenAPIDocument.Operation, _ document: OpenAPIDocument, _ server: some TestApp,
        _ world: RequiredWorld, counts: inout (required: Int, optional: Int)
    ) async throws {
        guard let content = operation.value["requestBody"]?["content"]?["application/json"],
              let example = content["example"], let schema = content["schema"]
        else { return }
        let body = world.substitute(example)
        let removals = document.removals(from: body, schema: schema)
        guard !removals.isEmpty else { return }
        let (name, path) = (operation.name, world.path(operation.path))
        let whole = try await server.send(operation.method, path, json: body, token: world.admin)
        #expect(whole.status != 400 && whole.status < 500, "\(name) example: \(whole.status) \(whole.text)")
        for removal in removals {
            let answer = try await server.send(operation.method, path, json: removal.body, token: world.admin)
            let named = answer.json["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []
            let missing = answer.status == 400 && named.contains(removal.field)
            if removal.isRequired {
                #expect(missing, "\(name) without \(removal.field): \(answer.status) \(answer.text)")
                counts.required += 1
            } else {
                #expect(!missing, "\(name): the server needs the optional \(removal.field)")
                counts.optional += 1
            }
        }
    }
}

/// The objects that the documented examples and paths refer to, made through the API as an admin (who passes every
/// role check and may act as any session's host).
struct RequiredWorld {
    /// The admin's token; every request of the check is the admin's.
    let admin: String
    /// The id that fills `{id}` in the paths under each prefix.
    let pathIDs: [(prefix: String, id: String)]
    /// The id of each other parameter (`{pin_id}`).
    let namedIDs: [String: String]
    /// The id that replaces the example's value of each body field.
    let fieldIDs: [String: String]

    init(_ server: InProcessApp) async throws {
        let (token, _) = try await server.signUp(roles: [.admin])
        // An agent, so that a conversation may be assigned to the account the examples name.
        let (_, other) = try await server.signUp(roles: [.agent])
        let (host, _) = try await server.signUp(roles: [.host])
        func create(_ path: String, _ body: JSON, as caller: String? = nil) async throws -> String {
            let answer = try await server.send("POST", path, json: body, token: caller ?? token)
            guard (200..<300).contains(answer.status), let id = answer.json["id"]?.stringValue else {
                throw TestClientError("set-up \(path): \(answer.status) \(answer.text)")
            }
            return id
        }
        _ = try await create("/v1/wallet/top-ups", ["amount_cents": 100_000, "method": "sandbox"])
        let product = try await create("/v1/products", [
            "sku": "DOCS-SETUP-1", "title": "Tee-Set", "price_cents": 7540, "stock": 250, "category": "kaffee-tee",
        ])
        let campaign = try await create("/v1/campaigns", [
            "name": "Docs set-up", "discount": ["type": "fixed", "value": 100], "valid_from": "2020-01-01T00:00:00Z",
            "valid_until": "2099-12-31T23:59:59Z", "max_coupons": 1000,
        ])
        // Hosted by another account: the admin acts as its host and may still bid, which a session's own host may not.
        let session = try await create("/v1/live-sessions", ["title": "Docs set-up"], as: host)
        _ = try await create("/v1/live-sessions/\(session)/start", [:])
        let order = try await create("/v1/orders", ["items": [["product_id": .string(product), "quantity": 2]]])
        let address = try await create("/v1/me/addresses", [
            "name": "Docs set-up", "line1": "Lindenstraße 12", "postal_code": "10969", "city": "Berlin",
            "country": "DE",
        ])
        let conversation = try await create("/v1/conversations", ["subject": "Docs set-up", "text": "Hello"])
        let invitation = try await server.surveyInvitation(token: token)
        let community = try await create("/v1/communities", ["name": "Docs set-up"])
        let deal = try await create("/v1/team-deals", [
            "product_id": .string(product), "team_price_cents": 5990, "team_size": 3,
        ])
        let team = try await create("/v1/team-deals/\(deal)/teams", [:])
        let shared = try await server.send(
            "POST", "/v1/shares", json: ["target_type": "product", "target_id": .string(product)], token: token
        )
        guard let code = shared.json["code"]?.stringValue else { throw TestClientError("share: \(shared.text)") }
        let auction = try await create("/v1/live-sessions/\(session)/pins", [
            "product_id": .string(product),
            "auction": ["starting_bid_cents": 100, "increment_cents": 50, "duration_seconds": 600],
        ])
        admin = token
        pathIDs = [
            ("/v1/admin/accounts/", other), ("/v1/products/", product), ("/v1/orders/", order),
            ("/v1/campaigns/", campaign), ("/v1/games/", "game_kitten"), ("/v1/live-sessions/", session),
            ("/v1/cart/items/", product), ("/v1/conversations/", conversation),
            ("/v1/surveys/invitations/", invitation), ("/v1/communities/", community), ("/v1/team-deals/", deal),
            ("/v1/teams/", team),
        ]
        namedIDs = ["{pin_id}": auction, "{purpose}": "marketing"]
        fieldIDs = [
            "product_id": product, "to_account_id": other, "account_id": other, "campaign_id": campaign,
            "address_id": address, "order_id": order, "community_id": community, "target_id": product,
            "referral_code": code, "share_code": code,
        ]
    }

    /// The pattern with its path parameter replaced by an object of this world.
    func path(_ pattern: String) -> String {
        let id = pathIDs.first { pattern.hasPrefix($0.prefix) }?.id ?? "zz_missing"
        let path = pattern.replacingOccurrences(of: "{id}", with: id).replacingOccurrences(of: "{product_id}", with: id)
        return namedIDs.reduce(path) { $0.replacingOccurrences(of: $1.key, with: $1.value) }
    }

    /// The example with the ids it names replaced by this world's, so that it can pass more than validation.
    func substitute(_ value: JSON) -> JSON {
        switch value {
        case let .object(members):
            return .object(members.map { key, member in (key, fieldIDs[key].map(JSON.string) ?? substitute(member)) })
        case let .array(items):
            return .array(items.map(substitute))
        default:
            return value
        }
    }
}
