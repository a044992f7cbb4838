import Core
import Foundation
import Testing
import TestSupport

@Suite("Campaigns over HTTP")
struct CampaignTests {
    @Test("a new campaign answers 201 with every documented key, active and with zero stats")
    func create() async throws {
        try await CouponShop.with { shop in
            let response = try await shop.server.call("POST", "/v1/campaigns", json: shop.campaignBody([
                "name": "  Black Friday  ", "discount": ["type": "percent", "value": 20], "max_discount_cents": 1500,
                "min_spend_cents": 3000, "valid_from": "2026-11-27T00:00:00Z", "valid_until": "2026-11-30T23:59:59Z",
                "max_coupons": 500, "per_account_limit": 2, "key": "black-friday",
            ]), token: shop.merchant)
            #expect(response.status == 201)
            let c = response.json
            #expect(c.id.hasPrefix("cmp_"))
            let expected: JSON = [
                "id": .string(c.id), "name": "Black Friday", "discount": ["type": "percent", "value": 20],
                "min_spend_cents": 3000, "max_discount_cents": 1500, "currency": "EUR",
                "valid_from": "2026-11-27T00:00:00Z", "valid_until": "2026-11-30T23:59:59Z", "max_coupons": 500,
                "per_account_limit": 2, "key": "black-friday", "status": "active",
                "stats": ["issued": 0, "redeemed": 0, "discount_granted_cents": 0],
                "created_at": c["created_at"] ?? .null,
            ]
            #expect(c == expected)
            #expect(try await shop.campaign(id: c.id) == expected)
        }
    }

    @Test("defaults: min_spend_cents 0, per_account_limit 1; absent cap and key are null")
    func defaults() async throws {
        try await CouponShop.with { shop in
            let c = try await shop.campaign(["discount": ["type": "fixed", "value": 500]])
            #expect(c["min_spend_cents"] == 0)
            #expect(c["per_account_limit"] == 1)
            #expect(c["max_discount_cents"] == .null)
            #expect(c["key"] == .null)
            #expect(c["discount"] == ["type": "fixed", "value": 500])
        }
    }

    static let invalidBodies: [(String, [String: JSON?])] = [
        ("name", ["name": "   "]),
        ("name", ["name": .string(String(repeating: "x", count: 101))]),
        ("name", ["name": nil]),
        ("discount.type", ["discount": ["type": "bogo", "value": 10]]),
        ("discount.value", ["discount": ["type": "percent", "value": 0]]),
        ("discount.value", ["discount": ["type": "percent", "value": 101]]),
        ("discount.value", ["discount": ["type": "fixed", "value": 0]]),
        ("discount.value", ["discount": ["type": "fixed", "value": -5]]),
        ("discount.extra", ["discount": ["type": "fixed", "value": 5, "extra": 1]]),
        ("max_discount_cents", ["discount": ["type": "fixed", "value": 500], "max_discount_cents": 100]),
        ("max_discount_cents", ["max_discount_cents": 0]),
        ("min_spend_cents", ["min_spend_cents": -1]),
        ("valid_from", ["valid_from": "tomorrow"]),
        ("valid_until", ["valid_until": nil]),
        ("valid_until", ["valid_from": "2026-05-01T00:00:00Z", "valid_until": "2026-05-01T00:00:00Z"]),
        ("valid_until", ["valid_from": "2026-05-01T00:00:00Z", "valid_until": "2026-04-30T00:00:00Z"]),
        ("max_coupons", ["max_coupons": 0]),
        ("max_coupons", ["max_coupons": 10_000_001]),
        ("max_coupons", ["max_coupons": "5"]),
        ("per_account_limit", ["per_account_limit": 0]),
        ("per_account_limit", ["per_account_limit": 101]),
        ("key", ["key": "Not A Slug"]),
        ("key", ["key": ""]),
        ("status", ["status": "paused"]),
        ("stats", ["stats": ["issued": 3]]),
    ]

    @Test("every creation rule answers 400 naming the field, and creates nothing")
    func invalid() async throws {
        try await CouponShop.with { shop in
            for (field, overrides) in Self.invalidBodies {
                let response = try await shop.server.call("POST", "/v1/campaigns", json: shop.campaignBody(overrides), token: shop.merchant)
                #expect(response.status == 400, "\(overrides)")
                #expect(response.code == "invalid_request")
                #expect(response.firstErrorField == field, "\(response.text)")
            }
            let list = try await shop.server.call("GET", "/v1/campaigns", token: shop.merchant)
            #expect(list.json["data"] == [])
        }
    }

    @Test("the boundaries are accepted, and a window entirely in the past is allowed")
    func boundaries() async throws {
        try await CouponShop.with { shop in
            let c = try await shop.campaign([
                "name": .string(String(repeating: "é", count: 100)), "discount": ["type": "percent", "value": 100],
                "max_coupons": 10_000_000, "per_account_limit": 100, "valid_from": "2020-01-01T00:00:00Z",
                "valid_until": "2020-01-01T00:00:01Z",
            ])
            #expect(c["status"] == "active")
            let one = try await shop.campaign(["discount": ["type": "percent", "value": 1], "max_coupons": 1, "per_account_limit": 1])
            #expect(one["max_coupons"] == 1)
        }
    }

    @Test("a duplicate key is 409 key_taken")
    func keyTaken() async throws {
        try await CouponShop.with { shop in
            _ = try await shop.campaign(["key": "summer"])
            let again = try await shop.server.call("POST", "/v1/campaigns", json: shop.campaignBody(["key": "summer"]), token: shop.merchant)
            #expect(again.status == 409)
            #expect(again.code == "key_taken")
        }
    }

    @Test("campaign routes need a merchant: 401 without a token, 403 for a customer")
    func access() async throws {
        try await CouponShop.with { shop in
            let (customer, _) = try await shop.server.signUp()
            let id = try await shop.campaign().id
            for (method, path) in [
                ("POST", "/v1/campaigns"), ("GET", "/v1/campaigns"), ("GET", "/v1/campaigns/\(id)"),
                ("PATCH", "/v1/campaigns/\(id)"), ("POST", "/v1/campaigns/\(id)/codes"), ("GET", "/v1/campaigns/\(id)/codes"),
            ] {
                #expect(try await shop.server.call(method, path, json: [:]).status == 401, "\(method) \(path)")
                #expect(try await shop.server.call(method, path, json: [:], token: customer).code == "forbidden", "\(method) \(path)")
            }
            let (admin, _) = try await shop.server.signUp(roles: [.admin])
            #expect(try await shop.server.call("GET", "/v1/campaigns/\(id)", token: admin).status == 200)
        }
    }

    @Test("the list is newest first and pages with a cursor; an unknown id is 404")
    func list() async throws {
        try await CouponShop.with { shop in
            var ids: [String] = []
            for i in 0..<5 { ids.append(try await shop.campaign(["name": .string("C\(i)")]).id) }
            let first = try await shop.server.call("GET", "/v1/campaigns?limit=2", token: shop.merchant)
            #expect(first.status == 200)
            let cursor = try #require(first.json["next_cursor"]?.stringValue)
            var seen = (first.json["data"]?.arrayValue ?? []).map(\.id)
            var next: String? = cursor
            while let c = next {
                let page = try await shop.server.call("GET", "/v1/campaigns?limit=2&cursor=\(c)", token: shop.merchant)
                seen += (page.json["data"]?.arrayValue ?? []).map(\.id)
                next = page.json["next_cursor"]?.stringValue
            }
            // Same-second creations order by id, descending (API.md §12); across seconds newer comes first.
            let created = try await shop.server.database.read { db in
                try db.query("SELECT id FROM campaigns ORDER BY created_at DESC, id DESC").map { $0.string("id") }
            }
            #expect(seen == created)
            #expect(Set(seen) == Set(ids))
            #expect(try await shop.server.call("GET", "/v1/campaigns?limit=0", token: shop.merchant).status == 400)
            #expect(try await shop.server.call("GET", "/v1/campaigns/cmp_nope", token: shop.merchant).code == "not_found")
        }
    }

    @Test("PATCH pauses, resumes and ends; an ended campaign stays ended (409 invalid_state)")
    func status() async throws {
        try await CouponShop.with { shop in
            let id = try await shop.campaign().id
            let paused = try await shop.setStatus("paused", of: id)
            #expect(paused.status == 200)
            #expect(paused.json["status"] == "paused")
            #expect(paused.json["stats"] != nil)
            #expect(try await shop.setStatus("active", of: id).json["status"] == "active")
            #expect(try await shop.setStatus("ended", of: id).json["status"] == "ended")
            #expect(try await shop.setStatus("ended", of: id).status == 200)
            for status in ["active", "paused"] {
                let refused = try await shop.setStatus(status, of: id)
                #expect(refused.status == 409)
                #expect(refused.code == "invalid_state")
            }
            #expect(try await shop.campaign(id: id)["status"] == "ended")
        }
    }

    @Test("PATCH accepts only status: other fields and values are 400, an unknown id 404 first")
    func patchBody() async throws {
        try await CouponShop.with { shop in
            let id = try await shop.campaign().id
            let name = try await shop.server.call("PATCH", "/v1/campaigns/\(id)", json: ["name": "x"], token: shop.merchant)
            #expect(name.status == 400)
            #expect(name.firstErrorField == "name")
            let bad = try await shop.setStatus("deleted", of: id)
            #expect(bad.status == 400)
            #expect(bad.firstErrorField == "status")
            let missing = try await shop.server.call("PATCH", "/v1/campaigns/\(id)", json: [:], token: shop.merchant)
            #expect(missing.firstErrorField == "status")
            let unknown = try await shop.server.call("PATCH", "/v1/campaigns/cmp_nope", json: ["name": "x"], token: shop.merchant)
            #expect(unknown.status == 404)
        }
    }
}
