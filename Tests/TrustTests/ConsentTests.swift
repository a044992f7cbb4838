import Core
import Foundation
import Testing
import TestSupport
import Trust

@Suite("Consent records and the one send path")
struct ConsentTests {
    static func offer(_ accountID: String) -> OutgoingMessage {
        OutgoingMessage(
            accountID: accountID, category: .offer, rule: "test_offer",
            title: LocalizedText(en: "Offer", de: "Angebot"), body: LocalizedText(en: "10% off", de: "10 % Rabatt")
        )
    }

    @Test("notices in both languages; a grant needs the current notice, a withdrawal never is refused; history")
    func records() async throws {
        try await TrustWorld.with { w in
            let buyer = try await w.buyer(funds: 0)
            let english = try await w.server.send("GET", "/v1/privacy/notices")
            let notices = try #require(english.json["data"]?.arrayValue)
            #expect(notices.compactMap { $0["purpose"]?.stringValue } == ["marketing", "personalization", "analytics"])
            let version = try #require(notices[0]["version"]?.stringValue)
            let german = try await w.server.send("GET", "/v1/privacy/notices", headers: [("Accept-Language", "de")])
            #expect(german.json["data"]?.arrayValue?.first?["title"]?.stringValue?.contains("Angebote") == true)

            let initial = try await w.server.send("GET", "/v1/me/consents", token: buyer.token)
            #expect(initial.json["data"]?.arrayValue?.count == 3)
            #expect(initial.json["data"]?.arrayValue?.first == ["purpose": "marketing", "granted": false, "notice_version": nil, "updated_at": nil])
            #expect(initial.json["history"] == [])

            let outdated = try await w.server.send("PUT", "/v1/me/consents/marketing", json: ["granted": true, "notice_version": "1999-01"], token: buyer.token)
            #expect(outdated.status == 409)
            #expect(outdated.code == "notice_outdated")
            #expect(try await w.server.send("PUT", "/v1/me/consents/telepathy", json: ["granted": true], token: buyer.token).status == 404)
            let granted = try await w.server.send("PUT", "/v1/me/consents/marketing", json: ["granted": true, "notice_version": .string(version)], token: buyer.token)
            #expect(granted.status == 200)
            #expect(granted.json["id"]?.stringValue?.hasPrefix("cns_") == true)
            let withdrawn = try await w.server.send("PUT", "/v1/me/consents/marketing", json: ["granted": false], token: buyer.token)
            #expect(withdrawn.status == 200, "a withdrawal needs no notice version (GDPR Art. 7(3))")
            let again = try await w.server.send("PUT", "/v1/me/consents/marketing", json: ["granted": false], token: buyer.token)
            #expect(again.status == 200, "every PUT appends, even an unchanged one")
            let after = try await w.server.send("GET", "/v1/me/consents", token: buyer.token)
            #expect(after.json["data"]?.arrayValue?.first?["granted"] == false)
            #expect(after.json["history"]?.arrayValue?.count == 3)
        }
    }

    @Test("offers: no consent suppressed, with consent sent and citing it, over the weekly cap suppressed, quiet hours wait")
    func offers() async throws {
        try await TrustWorld.with { w in
            let buyer = try await w.buyer(funds: 0)
            let inbox = w.server.services.inbox
            #expect(try await inbox.send(Self.offer(buyer.id)) == .suppressed(.noConsent))
            let version = inbox.notices[.marketing]?.version ?? ""
            let consent = try await inbox.setConsent("marketing", granted: true, noticeVersion: version, for: buyer.id)
            _ = try await inbox.updateSettings(of: buyer.id) { $0.quietHours = nil; $0.maxOffersPerWeek = 2 }
            for _ in 0..<2 {
                guard case let .sent(item) = try await inbox.send(Self.offer(buyer.id)) else { Issue.record("not sent"); return }
                #expect(item.reason.consentID == consent.id)
            }
            #expect(try await inbox.send(Self.offer(buyer.id)) == .suppressed(.cap))
            // Quiet around the clock but one minute: the offer waits and is not in the inbox yet.
            _ = try await inbox.updateSettings(of: buyer.id) { $0.quietHours = (0, 23 * 60 + 59); $0.timeZone = "UTC"; $0.maxOffersPerWeek = 20 }
            let now = w.server.services.clock.now().epochSeconds
            let utcMinute = Int((now % 86_400) / 60)
            if utcMinute < 23 * 60 + 59 {
                guard case let .waiting(until) = try await inbox.send(Self.offer(buyer.id)) else { Issue.record("should wait"); return }
                #expect(until > now)
            }
            let counts = try await w.server.database.read { db in try InboxService.counters(of: "test_offer", in: db) }
            #expect(counts.outcomes["no_consent"] == 1)
            #expect(counts.outcomes["cap"] == 1)
            #expect(counts.outcomes["sent"] == 2)
        }
    }

    @Test("a withdrawal answered before a send is never overtaken: 40 offers race it, every later one is suppressed")
    func withdrawalRace() async throws {
        try await TrustWorld.with { w in
            let buyer = try await w.buyer(funds: 0)
            let inbox = w.server.services.inbox
            let version = inbox.notices[.marketing]?.version ?? ""
            let grant = try await inbox.setConsent("marketing", granted: true, noticeVersion: version, for: buyer.id)
            _ = try await inbox.updateSettings(of: buyer.id) { $0.quietHours = nil; $0.maxOffersPerWeek = 20 }
            let racing = (0..<40).map { _ in Task { try await inbox.send(Self.offer(buyer.id)) } }
            let withdrawal = try await w.server.send("PUT", "/v1/me/consents/marketing", json: ["granted": false], token: buyer.token)
            #expect(withdrawal.status == 200)
            let later = try await withThrowingTaskGroup(of: SendOutcome.self) { group in
                for _ in 0..<20 { group.addTask { try await inbox.send(Self.offer(buyer.id)) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(later.allSatisfy { $0 == .suppressed(.noConsent) }, "\(later)")
            var sent = 0
            for task in racing {
                if case let .sent(item) = try await task.value {
                    sent += 1
                    #expect(item.reason.consentID == grant.id)
                }
            }
            // Whatever raced, no item was stored after the withdrawal's record.
            let overtaken = try await w.server.database.read { db in
                try db.scalar(
                    """
                    SELECT COUNT(*) FROM send_log s JOIN consent_records c ON c.account_id = s.account_id
                    WHERE s.account_id = ? AND s.outcome = 'sent' AND c.granted = 0 AND s.id > (
                        SELECT MIN(l.id) FROM send_log l WHERE l.account_id = s.account_id AND l.outcome = 'no_consent')
                    """,
                    buyer.id
                )
            }
            #expect(overtaken == 0)
            #expect(sent <= 20)
        }
    }
}
