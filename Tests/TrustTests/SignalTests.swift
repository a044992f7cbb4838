import Core
import Foundation
import Signals
import Testing
import TestSupport
import Trust

/// API.md §17 with the test clock: each rule's trigger, delay, cancellation, consent, caps and holdout.
@Suite("Signals")
struct SignalTests {
    @Test("FNV-1a 32 matches the reference vectors, so the holdout is reproducible outside Basar")
    func fnv() {
        #expect(SignalRule.fnv1a("") == 0x811c_9dc5)
        #expect(SignalRule.fnv1a("a") == 0xe40c_292c)
        #expect(SignalRule.fnv1a("foobar") == 0xbf9c_f968)
    }

    @Test("abandoned cart: offered 60 minutes after the last change; a later change moves it, an order cancels it")
    func abandonedCart() async throws {
        try await TrustWorld.with(testClock: true) { w in
            let product = try await w.product()
            let rule = try #require(w.server.services.signals.rules.first { $0.name == "abandoned_cart" })
            let (treated, held) = try await Self.accounts(w, rule: rule)
            try await w.campaign("abandoned-cart")
            for account in [treated, held] {
                try await Self.consentToOffers(w, account.token)
                #expect(try await w.server.send("PUT", "/v1/cart/items/\(product)", json: ["quantity": 1], token: account.token).status == 200)
            }
            try await w.advance(minutes: 50)
            // A change 50 minutes in moves the check to 60 minutes after it.
            #expect(try await w.server.send("PUT", "/v1/cart/items/\(product)", json: ["quantity": 2], token: treated.token).status == 200)
            try await w.advance(minutes: 15)
            #expect(try await w.offers(treated.token).isEmpty, "65 minutes after the first change, 15 after the last")
            try await w.advance(minutes: 50)
            let offers = try await w.offers(treated.token)
            #expect(offers.count == 1)
            let couponID = try #require(offers.first?["data"]?["coupon_id"]?.stringValue)
            #expect(offers.first?["reason"]?["consent_id"]?.stringValue?.hasPrefix("cns_") == true)
            let coupon = try await w.server.send("GET", "/v1/coupons", token: treated.token)
            #expect(coupon.json["data"]?.arrayValue?.first?["id"]?.stringValue == couponID)
            #expect(coupon.json["data"]?.arrayValue?.first?["source"] == "signal")
            #expect(try await w.offers(held.token).isEmpty, "the holdout never gets it")

            // An order after the change cancels the next offer.
            #expect(try await w.server.send("PUT", "/v1/cart/items/\(product)", json: ["quantity": 1], token: held.token).status == 200)
            _ = try await w.order(product, token: held.token)
            try await w.advance(minutes: 61)
            let counters = try await w.counters("abandoned_cart")
            #expect(counters["triggered"] == 2, "\(counters)")
            #expect(counters["sent"] == 1)
            #expect(counters["suppressed"]?["holdout"] == 1)
            #expect(counters["holdout"]?["accounts"] == 1)
            #expect(counters["treated"]?["accounts"] == 1)
        }
    }

    @Test("abandoned cart: consent withdrawn in between is suppressed and counted; the 7-day cap; quiet hours wait")
    func consentCapQuiet() async throws {
        try await TrustWorld.with(testClock: true) { w in
            let product = try await w.product()
            let rule = try #require(w.server.services.signals.rules.first { $0.name == "abandoned_cart" })
            let (buyer, _) = try await Self.accounts(w, rule: rule)
            try await Self.consentToOffers(w, buyer.token)
            _ = try await w.server.send("PUT", "/v1/cart/items/\(product)", json: ["quantity": 1], token: buyer.token)
            #expect(try await w.server.send("PUT", "/v1/me/consents/marketing", json: ["granted": false], token: buyer.token).status == 200)
            try await w.advance(minutes: 61)
            #expect(try await w.counters("abandoned_cart")["suppressed"]?["no_consent"] == 1)

            try await Self.consentToOffers(w, buyer.token)
            for round in 0..<2 {
                _ = try await w.server.send("PUT", "/v1/cart/items/\(product)", json: ["quantity": .int(Int64(round + 2))], token: buyer.token)
                try await w.advance(minutes: 61)
            }
            let counters = try await w.counters("abandoned_cart")
            #expect(counters["sent"] == 1)
            #expect(counters["suppressed"]?["cap"] == 1, "one per account per 7 days")

            // Quiet around the clock but a minute: the next offer waits and is counted as waiting.
            let patched = try await w.server.send("PATCH", "/v1/me/notification-settings", json: [
                "quiet_hours": ["start": "00:00", "end": "23:59"], "time_zone": "UTC",
            ], token: buyer.token)
            #expect(patched.status == 200)
            try await w.advance(minutes: 7 * 24 * 60)
            _ = try await w.server.send("PUT", "/v1/cart/items/\(product)", json: ["quantity": 5], token: buyer.token)
            try await w.advance(minutes: 61)
            let now = Int(try await w.now() % 86_400 / 60)
            if now < 23 * 60 + 59 {
                #expect(try await w.counters("abandoned_cart")["suppressed"]?["quiet_hours_waiting"] == 1)
            }
        }
    }

    @Test("login help after exactly the third failure within 15 minutes, at most one an hour")
    func loginHelp() async throws {
        try await TrustWorld.with(testClock: true) { w in
            let email = "lena.\(UUID().uuidString.prefix(6).lowercased())@example.com"
            let account = try await w.buyer(funds: 0, email: email, password: "correct horse battery")
            for attempt in 1...5 {
                let login = try await w.server.send("POST", "/v1/sessions", json: ["email": .string(email), "password": "wrong one"])
                #expect(login.status == 401)
                await w.settle()
                let items = try await w.server.send("GET", "/v1/inbox", token: account.token).json["data"]?.arrayValue ?? []
                #expect(items.count == (attempt >= 3 ? 1 : 0), "after failure \(attempt)")
            }
            let item = try #require(try await w.server.send("GET", "/v1/inbox", token: account.token).json["data"]?.arrayValue?.first)
            #expect(item["category"] == "security")
            #expect(item["reason"]?["rule"] == "login_help")
            // A second burst 20 minutes later is a new trigger, but within the hour: capped.
            try await w.advance(minutes: 20)
            for _ in 1...3 { _ = try await w.server.send("POST", "/v1/sessions", json: ["email": .string(email), "password": "wrong"]) }
            await w.settle()
            let counters = try await w.counters("login_help")
            #expect(counters["triggered"] == 2)
            #expect(counters["sent"] == 1)
            #expect(counters["suppressed"]?["cap"] == 1)
        }
    }

    @Test("a delayed shipment's one item carries a goodwill coupon that works at checkout")
    func deliveryDelay() async throws {
        try await TrustWorld.with(testClock: true) { w in
            try await w.campaign("delivery-delay", fixed: 300)
            let buyer = try await w.buyer(funds: 5_000)
            let product = try await w.product(price: 1_000)
            let order = try await w.order(product, token: buyer.token)
            let shipment = try await w.server.send("POST", "/v1/orders/\(order)/shipments", json: [
                "carrier": "DHL", "tracking_number": "JJD9", "promised_delivery_date": .string(try await w.today()),
            ], token: w.merchant)
            #expect(shipment.status == 201)
            try await w.advance(minutes: 2 * 24 * 60)
            let items = try await w.server.send("GET", "/v1/inbox", token: buyer.token).json["data"]?.arrayValue ?? []
            let delays = items.filter { $0["reason"]?["rule"] == "delivery_delay" }
            #expect(delays.count == 1, "one item per delayed shipment")
            let coupon = try #require(delays.first?["data"]?["coupon_id"]?.stringValue)
            #expect(delays.first?["body"]?.stringValue?.contains("JJD9") == true)
            let paid = try await w.server.send("POST", "/v1/orders", json: [
                "items": [["product_id": .string(product), "quantity": 1]], "coupon_id": .string(coupon),
            ], token: buyer.token)
            #expect(paid.status == 201, "\(paid.text)")
            #expect(paid.json["discount_cents"] == 300)
        }
    }

    @Test("1,000 followers all get one live item when their host goes live")
    func hostLive() async throws {
        try await TrustWorld.with { w in
            let (host, hostID) = try await w.server.signUp(roles: [.host])
            let followers = 1_000
            let accounts = try await w.server.database.write { db -> [String] in
                // Followers inserted directly: signing up 1,000 accounts over HTTP would test password hashing.
                try (0..<followers).map { index in
                    let id = "acct_follower\(index)"
                    try db.run(
                        "INSERT INTO accounts (id, email, password_hash, display_name, created_at) VALUES (?, ?, '!', 'F', 0)",
                        id, "follower\(index)@example.com"
                    )
                    try db.run("INSERT INTO follows (follower_id, host_id, created_at) VALUES (?, ?, 0)", id, hostID)
                    return id
                }
            }
            let profile = try await w.server.send("GET", "/v1/hosts/\(hostID)")
            #expect(profile.json["followers"] == .int(Int64(followers)))
            let session = try await w.server.send("POST", "/v1/live-sessions", json: ["title": "Teestunde", "description": "d"], token: host)
            let id = try #require(session.json["id"]?.stringValue)
            #expect(try await w.server.send("POST", "/v1/live-sessions/\(id)/start", token: host).status == 200)
            await w.settle()
            while await w.server.services.scheduler.runDue() {}
            let (items, distinct) = try await w.server.database.read { db in
                (try db.scalar("SELECT COUNT(*) FROM inbox_items WHERE rule = 'host_live'"),
                 try db.scalar("SELECT COUNT(DISTINCT account_id) FROM inbox_items WHERE rule = 'host_live'"))
            }
            #expect(items == Int64(followers))
            #expect(distinct == Int64(followers))
            #expect(try await w.server.send("GET", "/v1/hosts/\(hostID)").json["live_session_id"]?.stringValue == id)
            _ = accounts
        }
    }

    /// One account treated and one in the holdout of `rule`, found by the published hash.
    static func accounts(_ w: TrustWorld<some TestApp>, rule: SignalRule) async throws -> (treated: (token: String, id: String), held: (token: String, id: String)) {
        var treated: (String, String)?
        var held: (String, String)?
        while treated == nil || held == nil {
            let account = try await w.buyer(funds: 5_000)
            if rule.isHoldout(account.id) { held = held ?? account } else { treated = treated ?? account }
        }
        return (treated!, held!)
    }

    static func consentToOffers(_ w: TrustWorld<some TestApp>, _ token: String) async throws {
        let version = w.server.services.inbox.notices[.marketing]?.version ?? ""
        #expect(try await w.server.send("PUT", "/v1/me/consents/marketing", json: ["granted": true, "notice_version": .string(version)], token: token).status == 200)
        #expect(try await w.server.send("PATCH", "/v1/me/notification-settings", json: ["quiet_hours": nil], token: token).status == 200)
    }
}

extension TrustWorld {
    /// Moves the test clock, then lets the scheduler and the consumers finish what became due.
    func advance(minutes: Int64) async throws {
        let moved = try await server.send("POST", "/v1/admin/test-clock", json: ["advance_seconds": .int(minutes * 60)], token: admin)
        #expect(moved.status == 200, "\(moved.text)")
        await settle()
        while await server.services.scheduler.runDue() {}
        await settle()
    }

    func now() async throws -> Int64 {
        let answer = try await server.send("GET", "/v1/admin/test-clock", token: admin)
        return Timestamp.parse(answer.json["now"]?.stringValue ?? "")?.epochSeconds ?? 0
    }

    func today() async throws -> String {
        CalendarDay.text(of: Date(timeIntervalSince1970: TimeInterval(try await now())))
    }

    func offers(_ token: String) async throws -> [JSON] {
        let items = try await server.send("GET", "/v1/inbox", token: token).json["data"]?.arrayValue ?? []
        return items.filter { $0["category"] == "offer" }
    }

    func counters(_ rule: String) async throws -> JSON {
        let answer = try await server.send("GET", "/v1/admin/signals", token: admin)
        return answer.json["data"]?.arrayValue?.first { $0["rule"]?.stringValue == rule } ?? .null
    }

    /// A keyed campaign valid around the test clock's now.
    func campaign(_ key: String, fixed: Int64 = 500) async throws {
        let created = try await server.send("POST", "/v1/campaigns", json: [
            "name": .string(key), "discount": ["type": "fixed", "value": .int(fixed)], "valid_from": "2020-01-01T00:00:00Z",
            "valid_until": "2040-01-01T00:00:00Z", "max_coupons": 1000, "per_account_limit": 100, "key": .string(key),
        ], token: merchant)
        #expect(created.status == 201, "\(created.text)")
    }
}
