import Core
import HTTP
import Signals
import Social

/// API.md §20 (follows, host profiles) and §17 (the signal counters).
enum SocialRoutes {
    static func routes(_ s: Services) -> [Route] {
        [
            Route(.PUT, "/v1/me/following/{account_id}", .signedIn) { req in
                _ = try req.body(allowed: [])
                return .json(200, try await s.follows.follow(req.parameter("account_id"), by: req.caller.accountID).json)
            },
            Route(.DELETE, "/v1/me/following/{account_id}", .signedIn) { req in
                try await s.follows.unfollow(req.parameter("account_id"), by: req.caller.accountID)
                return .noContent
            },
            Route(.GET, "/v1/me/following", .signedIn) { req in
                .json(200, CommerceJSON.list(try await s.follows.following(of: req.caller.accountID, page: try req.page()), \.json))
            },
            Route(.GET, "/v1/hosts/{account_id}", .everyone) { req in
                let host = try await s.follows.host(req.parameter("account_id"))
                return .json(200, [
                    "account_id": .string(host.accountID), "display_name": .string(host.displayName),
                    "followers": .int(host.followers), "live_session_id": JSON(host.liveSessionID),
                ])
            },
            Route(.GET, "/v1/admin/signals", .role(.admin)) { _ in
                let counters = try await s.signals.report(from: s.database)
                return .json(200, ["data": .array(counters.map(\.json))])
            },
        ]
    }
}

extension Follow {
    var json: JSON {
        ["account_id": .string(hostID), "display_name": .string(displayName), "followed_at": CommerceJSON.time(followedAt)]
    }
}

extension SignalCounters {
    var json: JSON {
        [
            "rule": .string(rule), "triggered": .int(triggered), "sent": .int(sent),
            "suppressed": [
                "no_consent": .int(suppressed["no_consent"] ?? 0), "setting_off": .int(suppressed["setting_off"] ?? 0),
                "cap": .int(suppressed["cap"] ?? 0), "holdout": .int(suppressed["holdout"] ?? 0),
                "quiet_hours_waiting": .int(quietHoursWaiting),
            ],
            "converted": .int(converted), "revenue_cents": .int(revenueCents), "currency": .string(Money.currency),
            "treated": ["accounts": .int(treated.accounts), "converted": .int(treated.converted)],
            "holdout": ["accounts": .int(holdout.accounts), "converted": .int(holdout.converted)],
        ]
    }
}
