import Accounts
import Core
import HTTP
import Storage
import Teams

/// API.md §20 and §24: team deals, teams, share links and referrals.
enum TeamRoutes {
    static func routes(_ s: Services) -> [Route] {
        dealRoutes(s) + teamRoutes(s) + shareRoutes(s)
    }

    static func dealRoutes(_ s: Services) -> [Route] {
        [
            Route(.POST, "/v1/team-deals", .role(.merchant)) { req in
                let body = try req.body(allowed: ["product_id", "team_price_cents", "team_size", "window_seconds"])
                let draft = TeamDealDraft(
                    productID: try body.string("product_id"), teamPriceCents: try body.int("team_price_cents", 1...Int64.max),
                    teamSize: try body.int("team_size", TeamDeal.sizes),
                    windowSeconds: try body.optionalInt("window_seconds", TeamDeal.windows) ?? TeamDeal.windows.upperBound
                )
                return .json(201, try await s.teams.createDeal(draft, by: req.caller.accountID).json)
            },
            // Public: the active deals; merchants and admins see switched-off ones too with `all=true`.
            Route(.GET, "/v1/team-deals", .everyone) { req in
                let page = try req.page()
                let all = req.query("all") == "true" && req.principal?.has(.merchant) == true
                let deals = try await s.teams.deals(includeInactive: all, productID: req.query("product_id"), page: page)
                return .json(200, CommerceJSON.list(deals, \.json))
            },
            Route(.GET, "/v1/team-deals/{id}", .everyone) { req in
                .json(200, try await s.teams.deal(req.parameter("id")).json)
            },
            Route(.PATCH, "/v1/team-deals/{id}", .role(.merchant)) { req in
                let id = req.parameter("id")
                let deal = try await s.teams.deal(id)
                guard let active = try req.body(allowed: ["active"]).optionalBool("active") else { return .json(200, deal.json) }
                return .json(200, try await s.teams.setActive(id, active).json)
            },
            Route(.POST, "/v1/team-deals/{id}/teams", .signedIn) { req in
                let id = req.parameter("id")
                _ = try await s.teams.deal(id)
                return try await membership(req) { addressID, account, key, answering in
                    try await s.teams.open(id, addressID: addressID, by: account, key: key, answering: answering)
                }
            },
        ]
    }

    static func teamRoutes(_ s: Services) -> [Route] {
        [
            Route(.GET, "/v1/teams/{id}", .signedIn) { req in
                let team = try await s.teams.team(req.parameter("id"))
                return .json(200, team.json(viewer: req.caller.accountID, seesAllOrders: req.caller.has(.merchant)))
            },
            Route(.POST, "/v1/teams/{id}/members", .signedIn) { req in
                let id = req.parameter("id")
                _ = try await s.teams.team(id)
                return try await membership(req) { addressID, account, key, answering in
                    try await s.teams.join(id, addressID: addressID, by: account, key: key, answering: answering)
                }
            },
            Route(.GET, "/v1/me/teams", .signedIn) { req in
                let account = req.caller.accountID
                let teams = try await s.teams.teams(of: account, page: try req.page())
                return .json(200, CommerceJSON.list(teams) { $0.json(viewer: account, seesAllOrders: false) })
            },
        ]
    }

    static func shareRoutes(_ s: Services) -> [Route] {
        [
            Route(.POST, "/v1/shares", .signedIn) { req in
                let body = try req.body(allowed: ["target_type", "target_id"])
                let target = ShareTarget(rawValue: try body.choice("target_type", ShareTarget.allCases.map(\.rawValue)))!
                let share = try await s.shares.share(target, id: try body.string("target_id"), by: req.caller.accountID)
                return .json(201, share.json)
            },
            // Public, and every call counts a visit that its answer includes (API.md §24).
            Route(.GET, "/v1/shares/{code}", .everyone) { req in
                let share = try await s.shares.visit(req.parameter("code"))
                return .json(200, [
                    "code": .string(share.code), "target_type": .string(share.targetType.rawValue),
                    "target_id": .string(share.targetID), "sharer": ["display_name": .string(share.sharerName)],
                    "visits": .int(share.visits),
                ])
            },
            Route(.GET, "/v1/me/referrals", .signedIn) { req in
                let counts = try await s.shares.referrals(of: req.caller.accountID)
                return .json(200, [
                    "signed_up": .int(counts.signedUp), "rewarded": .int(counts.rewarded), "pending": .int(counts.pending),
                ])
            },
        ]
    }

    /// Opening or joining, after the path's object was found: `{"address_id"?}`, then the keyed work (API.md §20),
    /// answered `201` with the Team as the caller sees it.
    static func membership(
        _ req: APIRequest,
        _ work: (_ addressID: String?, _ account: String, IdempotencyKey?, Answering<Team>) async throws -> Keyed<Team>
    ) async throws -> HTTPResponse {
        let addressID = try req.body(allowed: ["address_id"]).optionalString("address_id")
        let account = req.caller.accountID
        let answering = Answering<Team>.json { $0.json(viewer: account, seesAllOrders: false) }
        return HTTPResponse(try await work(addressID, account, try req.idempotencyKey(), answering))
    }
}

extension TeamDeal {
    var json: JSON {
        [
            "id": .string(id), "product": product.json, "team_price_cents": .int(teamPriceCents), "team_size": .int(teamSize),
            "window_seconds": .int(windowSeconds), "currency": .string(Money.currency), "active": .bool(active),
            "created_at": CommerceJSON.time(createdAt),
        ]
    }
}

extension Share {
    /// The share as `POST /v1/shares` answers it; the export carries the same with its visits.
    var json: JSON {
        [
            "id": .string(id), "code": .string(code), "target_type": .string(targetType.rawValue),
            "target_id": .string(targetID), "visits": .int(visits), "created_at": CommerceJSON.time(createdAt),
        ]
    }
}
