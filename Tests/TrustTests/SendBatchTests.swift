import Core
import Foundation
import Storage
import Testing
import TestSupport
import Trust

/// The batch send path (issues 16 and 17): a page of messages decided as the single send decides each.
@Suite("Batch send path")
struct SendBatchTests {
    /// 2026-12-07 12:00 UTC: outside the default quiet hours (22:00–08:00 Berlin), inside an all-day window.
    static let now: Int64 = 1_796_644_800
    static let rule = "batch_check"

    @Test("a page decides exactly as single sends: consent withdrawn, category off, quiet hours, weekly cap, erased account")
    func sameDecisions() async throws {
        try await TrustWorld.with { w in
            let inbox = w.server.services.inbox
            let version = inbox.notices[.marketing]?.version ?? ""
            func account(consent: [Bool], _ change: @escaping @Sendable (inout NotificationSettings) -> Void) async throws -> String {
                let id = try await w.buyer(funds: 0).id
                for granted in consent {
                    _ = try await inbox.setConsent("marketing", granted: granted, noticeVersion: granted ? version : nil, for: id)
                }
                _ = try await inbox.updateSettings(of: id, change)
                return id
            }
            let granted = try await account(consent: [true]) { $0.quietHours = nil }
            let withdrawn = try await account(consent: [true, false]) { $0.quietHours = nil }
            let never = try await account(consent: []) { $0.quietHours = nil }
            let categoriesOff = try await account(consent: [true]) { $0.quietHours = nil; $0.live = false; $0.feedback = false }
            let quiet = try await account(consent: [true]) { $0.quietHours = (0, 23 * 60 + 59); $0.timeZone = "UTC" }
            let capped = try await account(consent: [true]) { $0.quietHours = nil; $0.maxOffersPerWeek = 1 }
            let nearCap = try await account(consent: [true]) { $0.quietHours = nil; $0.maxOffersPerWeek = 2 }
            let zero = try await account(consent: [true]) { $0.quietHours = nil; $0.maxOffersPerWeek = 0 }
            // Erased with its consent still on record (the ledger of consents is kept): settings go back to the defaults.
            let erasedBuyer = try await w.buyer(funds: 0, email: "erased-batch@example.com", password: "correct horse battery")
            _ = try await inbox.setConsent("marketing", granted: true, noticeVersion: version, for: erasedBuyer.id)
            let erase = try await w.server.send("DELETE", "/v1/me", json: ["password": "correct horse battery"], token: erasedBuyer.token)
            try #require(erase.status == 204, "\(erase.text)")
            let erased = erasedBuyer.id

            let accounts = [granted, withdrawn, never, categoriesOff, quiet, capped, nearCap, zero, erased]
            var messages: [OutgoingMessage] = []
            for id in accounts {
                for category in [InboxCategory.offer, .live, .feedback, .social, .order, .security] {
                    messages.append(Self.message(to: id, category, coupon: category == .offer))
                }
            }
            // Three more offers to one account: the page's own sends count against its weekly cap.
            messages += (0..<3).map { _ in Self.message(to: nearCap, .offer, coupon: true) }
            let page = messages
            let issuer = NamedCoupons()

            struct Undo: Error {}
            let (single, batch) = try await w.server.database.write { db -> (Effects, Effects) in
                // This week's offer of the capped account, an hour before.
                _ = try SendPath.send(Self.message(to: capped, .offer, coupon: false), ids: .random, now: Self.now - 3_600, in: db)
                let before = try db.scalar("SELECT COALESCE(MAX(id), 0) FROM domain_events") ?? 0
                var single: Effects?
                do {
                    try db.savepoint {
                        let outcomes = try page.map { try SendPath.send($0, ids: .random, coupons: issuer, now: Self.now, in: db) }
                        single = try Effects(outcomes, after: before, in: db)
                        throw Undo()
                    }
                } catch is Undo {}
                let outcomes = try SendPath.sendAll(page, ids: .random, coupons: issuer, now: Self.now, in: db)
                return (try #require(single), try Effects(outcomes, after: before, in: db))
            }
            #expect(batch.decisions == single.decisions)
            #expect(batch.items == single.items)
            #expect(batch.events == single.events)
            #expect(batch.log == single.log)
            #expect(batch.waiting == single.waiting)
            #expect(batch.coupons == single.coupons)

            // And the mixture is what it is meant to be: every kind of decision occurs.
            func decisions(of account: String, _ category: InboxCategory) -> [String] {
                zip(page, batch.decisions).filter { $0.0.accountID == account && $0.0.category == category }.map(\.1)
            }
            #expect(decisions(of: granted, .offer).first?.hasPrefix("sent offer consent=cns_") == true)
            #expect(decisions(of: withdrawn, .offer) == ["no_consent"])
            #expect(decisions(of: never, .offer) == ["no_consent"])
            #expect(decisions(of: categoriesOff, .live) == ["setting_off"])
            #expect(decisions(of: categoriesOff, .feedback) == ["setting_off"])
            #expect(decisions(of: categoriesOff, .social) == ["sent social consent=-"])
            #expect(decisions(of: quiet, .offer).first?.hasPrefix("waiting ") == true)
            #expect(decisions(of: capped, .offer) == ["cap"])
            #expect(decisions(of: zero, .offer) == ["cap"])
            #expect(decisions(of: nearCap, .offer).map { $0.prefix(4) } == ["sent", "sent", "cap", "cap"])
            #expect(decisions(of: erased, .order) == ["sent order consent=-"])
            #expect(decisions(of: erased, .offer) == ["no_consent"], "erasure withdrew the marketing consent")
            // Coupons only for the offers sent: granted, categoriesOff (offers are not a switch) and nearCap twice.
            #expect(batch.coupons.count == 4, "\(batch.coupons)")
        }
    }

    @Test("a withdrawal answered before a page is sent is never overtaken: 40 pages race it, every later one is suppressed")
    func withdrawalRace() async throws {
        try await TrustWorld.with { w in
            let buyer = try await w.buyer(funds: 0)
            let others = try await [w.buyer(funds: 0).id, w.buyer(funds: 0).id]
            let inbox = w.server.services.inbox
            let database = w.server.database
            let version = inbox.notices[.marketing]?.version ?? ""
            let grant = try await inbox.setConsent("marketing", granted: true, noticeVersion: version, for: buyer.id)
            _ = try await inbox.updateSettings(of: buyer.id) { $0.quietHours = nil; $0.maxOffersPerWeek = 20 }
            // The account sits in the middle of each page, between accounts that never consented.
            let page = [others[0], buyer.id, others[1]].map { Self.message(to: $0, .offer, coupon: false) }
            @Sendable func send() async throws -> SendOutcome {
                let now = Int64(Date().timeIntervalSince1970)
                return try await database.write { db in try SendPath.sendAll(page, ids: .random, now: now, in: db)[1] }
            }
            let racing = (0..<40).map { _ in Task { try await send() } }
            let withdrawal = try await w.server.send("PUT", "/v1/me/consents/marketing", json: ["granted": false], token: buyer.token)
            #expect(withdrawal.status == 200)
            let later = try await withThrowingTaskGroup(of: SendOutcome.self) { group in
                for _ in 0..<20 { group.addTask { try await send() } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(later.allSatisfy { $0 == .suppressed(.noConsent) }, "\(later)")
            for task in racing {
                if case let .sent(item) = try await task.value { #expect(item.reason.consentID == grant.id) }
            }
            let overtaken = try await database.read { db in
                try db.scalar(
                    """
                    SELECT COUNT(*) FROM send_log s WHERE s.account_id = ? AND s.outcome = 'sent' AND s.id > (
                        SELECT MIN(l.id) FROM send_log l WHERE l.account_id = s.account_id AND l.outcome = 'no_consent')
                    """,
                    buyer.id
                )
            }
            #expect(overtaken == 0)
        }
    }

    @Test("host_live fans out a page per job: each page commits on its own and schedules the next, 1,200 followers in 3")
    func pagesChain() async throws {
        try await TrustWorld.with { w in
            let (host, hostID) = try await w.server.signUp(roles: [.host])
            try await Self.followers(1_200, named: "page", of: hostID, in: w)
            let session = try await w.server.send("POST", "/v1/live-sessions", json: ["title": "Teestunde", "description": "d"], token: host)
            let id = try #require(session.json["id"]?.stringValue)
            #expect(try await w.server.send("POST", "/v1/live-sessions/\(id)/start", token: host).status == 200)
            await w.settle()
            let database = w.server.database
            @Sendable func state() async throws -> (pages: [String], items: Int64) {
                try await database.read { db in
                    (try db.query("SELECT key FROM scheduled_jobs WHERE kind = 'signal.fanout' ORDER BY key").map { $0.string("key") },
                     try db.scalar("SELECT COUNT(*) FROM inbox_items WHERE rule = 'host_live'") ?? 0)
                }
            }
            // The server's own scheduler loop may run pages meanwhile: whoever runs them, one job is pending at a time
            // and the items appear a whole page at a time.
            let first = try await state()
            #expect(first.pages.count == 1, "one page scheduled at a time, not all 3: \(first.pages)")
            var seen = [first.items]
            while await w.server.services.scheduler.runDue() {
                let now = try await state()
                #expect(now.pages.count <= 1, "\(now.pages)")
                seen.append(now.items)
            }
            seen.append(try await state().items)
            #expect(seen.allSatisfy { [0, 500, 1_000, 1_200].contains($0) }, "\(seen)")
            #expect(seen.last == 1_200)
            #expect(try await state().pages.isEmpty)
        }
    }

    @Test("followers who are watching get the host's alert first; the pages pass over them; every follower once")
    func watchingFirst() async throws {
        try await TrustWorld.with { w in
            let (host, hostID) = try await w.server.signUp(roles: [.host])
            try await Self.followers(1_200, named: "watch", of: hostID, in: w)
            // Two followers on the last page watch, and an account that follows nobody: as the account streams report.
            let watching = ["acct_watch1100", "acct_watch1199", "acct_stranger"]
            w.server.services.signals.serveFirst { watching.map { EventLog.accountStream($0) } }
            let session = try await w.server.send("POST", "/v1/live-sessions", json: ["title": "Teestunde", "description": "d"], token: host)
            let id = try #require(session.json["id"]?.stringValue)
            #expect(try await w.server.send("POST", "/v1/live-sessions/\(id)/start", token: host).status == 200)
            await w.settle()
            while await w.server.services.scheduler.runDue() {}
            let (order, perAccount, left) = try await w.server.database.read { db in
                (try db.query("SELECT account_id FROM inbox_items WHERE rule = 'host_live' ORDER BY rowid").map { $0.string("account_id") },
                 try db.scalar("SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM inbox_items WHERE rule = 'host_live' GROUP BY account_id) AS per_account") ?? 0,
                 try db.scalar("SELECT COUNT(*) FROM signal_fanout_first") ?? -1)
            }
            #expect(order.count == 1_200, "every follower, the stranger not")
            #expect(Array(order.prefix(2)) == ["acct_watch1100", "acct_watch1199"], "the watching ones first: \(order.prefix(3))")
            #expect(perAccount == 1, "nobody twice")
            #expect(left == 0, "the served-first rows go with the last page")
        }
    }

    /// `count` followers of the host, `acct_<name><index>`, written straight into the database.
    static func followers(_ count: Int, named name: String, of hostID: String, in w: TrustWorld<some TestApp>) async throws {
        try await w.server.database.write { db in
            for index in 0..<count {
                let id = "acct_\(name)\(index)"
                try db.run(
                    "INSERT INTO accounts (id, email, password_hash, display_name, created_at) VALUES (?, ?, '!', 'F', 0)",
                    id, "\(name)\(index)@example.com"
                )
                try db.run("INSERT INTO follows (follower_id, host_id, created_at) VALUES (?, ?, 0)", id, hostID)
            }
        }
    }

    static func message(to account: String, _ category: InboxCategory, coupon: Bool) -> OutgoingMessage {
        var message = OutgoingMessage(
            accountID: account, category: category, rule: rule, title: LocalizedText(en: "Hello \(category)", de: "Hallo"),
            body: LocalizedText(en: "b", de: "b"), link: "/v1/inbox", data: ["kind": .string(category.rawValue)]
        )
        if coupon { message.coupon = CouponRequest(campaignKey: "batch-offer", source: "signal") }
        return message
    }
}

/// Names a coupon after its account and writes nothing: what matters here is which items get one.
private struct NamedCoupons: CouponIssuing {
    func issue(_ request: CouponRequest, to accountID: String, now: Int64, in db: any Transaction) throws -> String? {
        "cpn_\(request.campaignKey)_\(accountID)"
    }
}

/// What a run of the send path decided and wrote, without the random ids.
private struct Effects: Sendable, Equatable {
    var decisions: [String]
    var items: [String]
    var events: [String]
    var log: [String]
    var waiting: [String]
    var coupons: [String]

    init(_ outcomes: [SendOutcome], after event: Int64, in db: any Transaction) throws {
        decisions = outcomes.map { outcome in
            switch outcome {
            case let .sent(item): "sent \(item.category.rawValue) consent=\(item.reason.consentID.map { _ in "cns_" } ?? "-")"
            case let .waiting(until): "waiting \(until)"
            case let .suppressed(reason): reason.rawValue
            }
        }
        let rule = SendBatchTests.rule, now = SendBatchTests.now
        items = try db.query(
            "SELECT * FROM inbox_items WHERE rule = ? AND created_at = ? ORDER BY account_id, category, id", rule, now
        ).map { row in
            [row.string("account_id"), row.string("category"), row.string("title_en"), row.string("link"),
             row.optionalString("consent_id").map { _ in "consent" } ?? "-", String(row.int64("read"))].joined(separator: " ")
        }.sorted()
        // The item's id differs from run to run, so its payload is compared without it.
        events = try db.query("SELECT * FROM domain_events WHERE id > ? ORDER BY id", event).map { row in
            var data = (try? JSONParser.parse(Array(row.string("data").utf8))) ?? .null
            if case let .object(members) = data { data = .object(members.filter { $0.0 != "id" }) }
            return "\(row.string("stream")) \(row.int64("sequence")) \(row.string("name")) \(data.serializedString())"
        }.sorted()
        log = try db.query("SELECT * FROM send_log WHERE rule = ? AND created_at = ?", rule, now).map { row in
            "\(row.string("account_id")) \(row.string("outcome")) \(row.optionalString("item_id") == nil ? "-" : "item")"
        }.sorted()
        waiting = try db.query("SELECT * FROM scheduled_jobs WHERE kind = ?", SendPath.waitingJobKind).map { row in
            "\(row.int64("due_at")) \(row.string("data"))"
        }.sorted()
        coupons = try db.query(
            "SELECT \(db.dialect.jsonText("data", key: "coupon_id")) AS coupon FROM inbox_items WHERE rule = ? AND created_at = ?",
            rule, now
        ).compactMap { $0.optionalString("coupon") }.sorted()
    }
}
