import Accounts
import Core
import HTTP
import Payments
import Support

/// API.md §18: service conversations.
enum SupportRoutes {
    static func routes(_ s: Services) -> [Route] {
        [
            Route(.POST, "/v1/conversations", .signedIn) { req in
                let body = try req.body(allowed: ["subject", "text", "order_id"])
                let conversation = try await s.conversations.open(
                    subject: try body.text("subject", 1...200), text: try body.text("text", 1...2000),
                    orderID: try body.optionalString("order_id"), by: req.caller
                )
                return .json(201, conversation.json)
            },
            Route(.GET, "/v1/conversations", .signedIn) { req in
                let status = try req.query("status").map { value -> String in
                    guard ["open", "resolved"].contains(value) else { throw Failure.invalid("status", "must be open or resolved") }
                    return value
                }
                let assignee = try req.query("assignee").map { value -> String in
                    guard ["me", "none"].contains(value) else { throw Failure.invalid("assignee", "must be me or none") }
                    return value
                }
                let page = try await s.conversations.list(for: req.caller, status: status, assignee: assignee, page: try req.page())
                return .json(200, CommerceJSON.list(page, \.json))
            },
            Route(.GET, "/v1/conversations/{id}", .signedIn) { req in
                .json(200, try await s.conversations.conversation(req.parameter("id"), for: req.caller).json)
            },
            Route(.GET, "/v1/conversations/{id}/messages", .signedIn) { req in
                let page = try req.page()
                let after = try page.cursor.map { cursor -> Int64 in
                    guard let key = Cursor.decode(cursor), key.count == 1, let seq = key[0].intValue else {
                        throw Failure.invalid("cursor", "is not a valid cursor")
                    }
                    return seq
                } ?? 0
                let rows = try await s.conversations.messages(of: req.parameter("id"), for: req.caller, after: after, limit: page.limit + 1)
                let shown = rows.prefix(page.limit)
                let next = rows.count > page.limit ? shown.last.map { Cursor.encode([.int($0.0)]) } : nil
                return .json(200, ["data": .array(shown.map(\.1.json)), "next_cursor": JSON(next)])
            },
            Route(.POST, "/v1/conversations/{id}/messages", .signedIn) { req in
                let id = req.parameter("id")
                _ = try await s.conversations.conversation(id, for: req.caller)
                let text = try req.body(allowed: ["text"]).text("text", 1...2000)
                return .json(201, try await s.conversations.write(text, to: id, by: req.caller).json)
            },
            Route(.POST, "/v1/conversations/{id}/resolve", .signedIn) { req in
                _ = try await s.conversations.conversation(req.parameter("id"), for: req.caller)
                _ = try req.body(allowed: [])
                return .json(200, try await s.conversations.resolve(req.parameter("id"), by: req.caller).json)
            },
            Route(.POST, "/v1/conversations/{id}/assign", .role(.agent)) { req in
                let id = req.parameter("id")
                _ = try await s.conversations.conversation(id, for: req.caller)
                let agent = try req.body(allowed: ["account_id"]).string("account_id")
                return .json(200, try await s.conversations.assign(id, to: agent, by: req.caller).json)
            },
            // An addition to §18 ("order and wallet at a glance"): an agent reads a customer's wallet only through
            // a conversation of that customer, never by account id, so access follows a service case.
            Route(.GET, "/v1/conversations/{id}/wallet", .role(.agent)) { req in
                let conversation = try await s.conversations.conversation(req.parameter("id"), for: req.caller)
                let glance = try await s.wallet.glance(of: conversation.customerID, recent: 5)
                return .json(200, [
                    "account_id": .string(conversation.customerID), "balance_cents": .int(glance.balanceCents),
                    "currency": .string(Money.currency), "recent_transactions": .array(glance.recent.map(\.json)),
                ])
            },
            Route(.POST, "/v1/conversations/{id}/goodwill", .role(.agent)) { req in
                let id = req.parameter("id")
                _ = try await s.conversations.conversation(id, for: req.caller)
                let amount = try req.body(allowed: ["amount_cents"]).int("amount_cents", 100...5000)
                let key = try req.idempotencyKey()
                let now = s.clock.now().epochSeconds
                return HTTPResponse(try await s.conversations.grantGoodwill(
                    amount, in: id, by: req.caller, key: key, answering: .json { $0.json(now: now) }
                ))
            },
        ]
    }
}

extension Conversation {
    var json: JSON {
        [
            "id": .string(id), "kind": .string(kind.rawValue),
            "customer": ["account_id": .string(customerID), "display_name": .string(customerName)],
            "subject": .string(subject), "order_id": JSON(orderID), "status": .string(status.rawValue),
            "assignee": assigneeID.map { ["account_id": .string($0), "display_name": .string(assigneeName ?? "")] } ?? .null,
            "first_response_due_at": CommerceJSON.time(firstResponseDueAt),
            "first_response_at": firstResponseAt.map(CommerceJSON.time) ?? .null, "escalated": .bool(escalated),
            "created_at": CommerceJSON.time(createdAt), "updated_at": CommerceJSON.time(updatedAt),
        ]
    }
}
