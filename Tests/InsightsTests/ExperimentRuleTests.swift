import Core
import Foundation
import Storage
import Testing
import TestSupport

/// A signal rule that names an experiment (`Content/signals/README.md`): each account's action is its variant's by
/// the FNV-1a rule of API.md §21, recomputed here from the revealed salt; exposures only with the `analytics`
/// consent, counted in the experiment's results with the conversions they led to; a stopped experiment acts as the
/// rule's own action.
@Suite("Experiments named by a signal rule")
struct ExperimentRuleTests {
    static let rule = """
        {"name": "cart_nudge", "trigger": {"event": "cart.updated", "above": {"field": "lines", "value": 0}},
         "audience": "account", "delay_seconds": 0,
         "action": {"category": "support", "title": {"en": "Plain", "de": "Schlicht"},
                    "body": {"en": "Your cart is waiting.", "de": "Ihr Warenkorb wartet."}, "link": "/v1/cart"},
         "holdout_percent": 0,
         "experiment": {"key": "nudge", "variants": {
           "bold": {"title": {"en": "Bold", "de": "Kühn"}, "coupon": {"campaign_key": "nudge-big", "source": "signal"}}}}}
        """
    static let variants: [(String, Int64)] = [("control", 1), ("bold", 1)]

    @Test("each account gets its variant's action, both variants are seen; exposures and conversions per variant; stopped → the rule's own")
    func variantActions() async throws {
        let content = try TestContent.replacing("signals", with: ["cart_nudge.json": Self.rule])
        defer { TestContent.remove(content) }
        try await InsightsWorld.with(contentDirectory: content) { w in
            let campaign = try await w.server.send("POST", "/v1/campaigns", json: [
                "name": "Bigger nudge", "discount": ["type": "percent", "value": 20], "valid_from": "2026-01-01T00:00:00Z",
                "valid_until": "2099-01-01T00:00:00Z", "max_coupons": 1000, "per_account_limit": 100, "key": "nudge-big",
            ], token: w.merchant)
            try #require(campaign.status == 201, "\(campaign.text)")
            let created = try await w.server.send("POST", "/v1/admin/experiments", json: [
                "key": "nudge", "variants": .array(Self.variants.map { ["key": .string($0.0), "weight": .int($0.1)] }),
            ], token: w.admin)
            try #require(created.status == 201, "\(created.text)")

            let consenting = (0..<60).map { String(format: "acct_n%05d", $0) }
            let withholding = (0..<10).map { String(format: "acct_w%05d", $0) }
            try await w.insertAccounts(consenting, analytics: true)
            try await w.insertAccounts(withholding, analytics: false)
            // A real buyer whose order after the item must count as its variant's conversion.
            let buyer = try await w.buyer()
            try await w.consent("analytics", true, token: buyer.token)
            try await trigger(consenting + withholding + [buyer.id], w)
            let answer = try await w.server.send("GET", "/v1/me/experiments/nudge", token: buyer.token)
            let buyerVariant = try #require(answer.json["variant"]?.stringValue)
            let product = try await w.product("Teapot", category: "kitchen", price: 2_500)
            try await w.order([(product, 1)], token: buyer.token)

            let stopped = try await w.server.send("POST", "/v1/admin/experiments/nudge/stop", token: w.admin)
            let salt = try #require(stopped.json["salt"]?.stringValue)
            let items = try await self.items(w)
            var expected: [String: Int64] = [:]
            for account in consenting + [buyer.id] {
                let variant = IndependentAssignment.variant(salt: salt, account: account, variants: Self.variants)
                expected[variant, default: 0] += 1
                let item = try #require(items[account]?.first, "no item for \(account)")
                #expect(item.title == (variant == "bold" ? "Bold" : "Plain"), "\(account) is in \(variant)")
                #expect(item.hasCoupon == (variant == "bold"), "\(account) is in \(variant)")
            }
            #expect(expected.count == 2, "both variants among \(consenting.count + 1) accounts: \(expected)")
            #expect(buyerVariant == IndependentAssignment.variant(salt: salt, account: buyer.id, variants: Self.variants))
            // Without the consent: the first variant (API.md §21), here the control, and nothing logged.
            for account in withholding {
                #expect(items[account]?.map(\.title) == ["Plain"] && items[account]?.first?.hasCoupon == false)
            }

            let results = try await w.server.send("GET", "/v1/admin/experiments/nudge/results", token: w.admin)
            let rows = results.json["variants"]?.arrayValue ?? []
            for row in rows {
                let key = row["key"]?.stringValue ?? ""
                #expect(row["exposed"]?.intValue == expected[key], "\(results.text)")
                #expect(row["converted"]?.intValue == (key == buyerVariant ? 1 : 0), "\(results.text)")
                #expect(row["revenue_cents"]?.intValue == (key == buyerVariant ? 2_500 : 0), "\(results.text)")
            }
            #expect(rows.count == 2)

            // Stopped: everyone gets the rule's own action, and nothing more is exposed.
            try await trigger(consenting, w)
            let after = try await self.items(w)
            for account in consenting {
                #expect(after[account]?.count == 2 && after[account]?.first?.title == "Plain", "\(account)")
            }
            let again = try await w.server.send("GET", "/v1/admin/experiments/nudge/results", token: w.admin)
            #expect(again.json["variants"] == results.json["variants"])
        }
    }

    /// A cart with a line for each account, as `PUT /v1/cart` would log it; the signal consumer handles them.
    func trigger(_ accounts: [String], _ w: InsightsWorld<some TestApp>) async throws {
        let now = w.server.clock.now().epochSeconds
        try await w.server.database.write { db in
            for account in accounts {
                _ = try EventLog.append("cart.updated", stream: EventLog.accountStream(account), data: ["lines": 1], now: now, in: db)
            }
        }
        await w.settle()
    }

    /// The rule's items per account, newest first.
    func items(_ w: InsightsWorld<some TestApp>) async throws -> [String: [(title: String, hasCoupon: Bool)]] {
        try await w.server.database.read { db in
            var items: [String: [(title: String, hasCoupon: Bool)]] = [:]
            for row in try db.query(
                "SELECT account_id, title_en, data FROM inbox_items WHERE rule = 'cart_nudge' ORDER BY created_at DESC, rowid DESC"
            ) {
                let data = try JSONParser.parse(Array(row.string("data").utf8))
                items[row.string("account_id"), default: []].append((row.string("title_en"), data["coupon_id"] != nil))
            }
            return items
        }
    }
}
