import Accounts
import Core
import Coupons
import HTTP

/// API.md §7: campaigns, codes, claims and the caller's coupons.
enum CouponRoutes {
    static let creatable: Set<String> = [
        "name", "discount", "min_spend_cents", "max_discount_cents", "valid_from", "valid_until", "max_coupons",
        "per_account_limit", "key",
    ]

    static func routes(_ s: Services) -> [Route] {
        [
            Route(.POST, "/v1/campaigns", .role(.merchant)) { req in
                let draft = try campaignDraft(try req.body(allowed: creatable))
                return .json(201, try await s.coupons.createCampaign(draft).campaign.json)
            },
            // Hosts read campaigns to choose one for a coupon drop (API.md §14).
            Route(.GET, "/v1/campaigns", .anyRole([.merchant, .host])) { req in
                .json(200, CommerceJSON.list(try await s.coupons.campaigns(page: try req.page()), \.json))
            },
            Route(.GET, "/v1/campaigns/{id}", .anyRole([.merchant, .host])) { req in
                .json(200, try await s.coupons.campaign(req.parameter("id")).json)
            },
            Route(.PATCH, "/v1/campaigns/{id}", .role(.merchant)) { req in
                let id = req.parameter("id")
                _ = try await s.coupons.campaign(id)
                let body = try req.body(allowed: ["status"])
                let status = CampaignStatus(rawValue: try body.choice("status", CampaignStatus.allCases.map(\.rawValue)))
                return .json(200, try await s.coupons.setStatus(status ?? .active, of: id).json)
            },
            Route(.POST, "/v1/campaigns/{id}/codes", .role(.merchant)) { req in
                let id = req.parameter("id")
                _ = try await s.coupons.campaign(id)
                let body = try req.body(allowed: ["count", "pattern"])
                let count = try body.int("count", CouponRules.codeCountRange)
                let pattern = try body.optionalString("pattern")
                let codes = try await s.coupons.generateCodes(campaignID: id, count: count, pattern: pattern)
                return .json(201, ["generated": .int(Int64(codes.count))])
            },
            Route(.GET, "/v1/campaigns/{id}/codes", .role(.merchant)) { req in
                let id = req.parameter("id")
                _ = try await s.coupons.campaign(id)  // 404 before a 400 for the query (API.md §12)
                let codes = try await s.coupons.codes(campaignID: id, page: try req.page())
                return .json(200, CommerceJSON.list(codes, \.json))
            },
            Route(.POST, "/v1/coupons/claim", .signedIn) { req in
                let code = try req.body(allowed: ["code"]).string("code")
                guard (1...100).contains(code.trimmedWhitespace.utf8.count) else {
                    throw Failure.invalid("code", "must be 1–100 characters")
                }
                let key = try req.idempotencyKey()
                let now = s.clock.now().epochSeconds
                return HTTPResponse(try await s.coupons.claim(
                    code: code, accountID: req.caller.accountID, key: key, answering: .json { $0.json(now: now) }
                ))
            },
            Route(.GET, "/v1/coupons", .signedIn) { req in
                let page = try req.page()
                let now = s.clock.now().epochSeconds
                let coupons = try await s.coupons.coupons(accountID: req.caller.accountID, page: page)
                return .json(200, CommerceJSON.list(coupons) { $0.json(now: now) })
            },
        ]
    }

    /// Reads the body of `POST /v1/campaigns`; the value rules (ranges, percent-only cap) are `CouponRules`'.
    static func campaignDraft(_ body: Body) throws -> CampaignDraft {
        let name = try body.string("name")
        let discountBody = try body.object("discount", allowed: ["type", "value"])
        let type = try discountBody.choice("type", ["percent", "fixed"])
        let value = try discountBody.int("value")
        let discount: DiscountRule = type == "percent" ? .percent(value) : .fixed(value)
        return CampaignDraft(
            name: name, discount: discount, minSpendCents: try body.optionalInt("min_spend_cents") ?? 0,
            maxDiscountCents: try body.optionalInt("max_discount_cents"), validFrom: try time(body, "valid_from"),
            validUntil: try time(body, "valid_until"), maxCoupons: try body.int("max_coupons"),
            perAccountLimit: try body.optionalInt("per_account_limit") ?? 1, key: try body.optionalString("key")
        )
    }

    static func time(_ body: Body, _ key: String) throws -> Int64 {
        let text = try body.string(key)
        guard let date = Timestamp.parse(text) else {
            throw Failure.invalid(key, "must be an RFC 3339 timestamp such as 2026-11-23T10:00:00Z")
        }
        return date.epochSeconds
    }
}

extension CampaignCode {
    /// An item of `GET /v1/campaigns/{id}/codes` (API.md §12).
    var json: JSON {
        ["code": .string(code), "status": .string(isClaimed ? "claimed" : "unclaimed"), "coupon_id": JSON(couponID)]
    }
}
