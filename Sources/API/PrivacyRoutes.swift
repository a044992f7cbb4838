import Core
import HTTP
import Privacy
import Teams
import Trust

/// API.md §16: the data export (GDPR Art. 15 and 20) and erasure (Art. 17).
enum PrivacyRoutes {
    static func routes(_ s: Services) -> [Route] {
        [
            Route(.GET, "/v1/me/export", .signedIn) { req in
                let export = try await s.privacy.export(of: req.caller.accountID)
                var response = HTTPResponse.json(200, json(export, german: req.prefersGerman))
                response.headers.set("Content-Disposition", "attachment; filename=\"basar-export.json\"")
                return response
            },
            Route(.DELETE, "/v1/me", .signedIn) { req in
                let body = try req.body(allowed: ["password"])
                let password = try body.string("password")
                try await s.privacy.erase(req.caller.accountID, password: password)
                return .noContent
            },
        ]
    }

    /// One document of plain arrays of the API's own objects. Modules this deployment does not have yet
    /// (conversations, surveys, social, experiments) are present and empty, so the document's shape never changes.
    static func json(_ e: AccountExport, german: Bool) -> JSON {
        let now = e.generatedAt
        let teams = JSON.array(e.teams.map { $0.json(viewer: e.account.id, seesAllOrders: false) })
        return [
            "format": "basar-export/1", "generated_at": CommerceJSON.time(now), "account": e.account.json,
            "addresses": .array(e.addresses.map(\.json)),
            "consents": .array(e.consents.map(\.json)), "notification_settings": e.settings.json,
            "orders": .array(e.payments.orders.map(\.json)), "refunds": .array(e.payments.refunds.map(\.json)),
            "shipments": .array(e.payments.shipments.map(\.json)),
            "wallet_transactions": .array(e.payments.walletTransactions.map(\.json)),
            "coupons": .array(e.coupons.map { $0.json(now: now) }), "game_plays": .array(e.plays.map { $0.json(now: now) }),
            "live_messages": .array(e.messages.map(LiveJSON().json)),
            "inbox": .array(e.inbox.map { $0.json(german: german) }),
            "conversations": .array(e.conversations.map(\.json)), "survey_responses": .array(e.surveyResponses.map(\.json)),
            "following": .array(e.following.map(\.json)), "communities": .array(e.communities.map(\.json)), "teams": teams,
            "red_packets": .array(e.redPackets.map(\.json)), "shares": .array(e.shares.map(\.json)),
            "community_messages": .array(e.communityMessages.map(\.json)),
            "bids": .array(e.bids.map(AuctionRoutes.render.json)),
            "experiment_exposures": .array(e.experimentExposures.map(\.json)),
        ]
    }
}
