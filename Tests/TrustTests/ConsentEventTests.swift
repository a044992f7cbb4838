@testable import API
import Core
import Foundation
@testable import Storage
import Testing
import TestSupport
@testable import Trust

/// Every consent change is in the domain event log (STYLE.md §19), in the account's stream, in its own transaction —
/// and the account's event stream (API.md §13) still carries only the names it lists.
@Suite("Consent changes in the event log")
struct ConsentEventTests {
    static func consentEvents(_ app: InProcessApp, of accountID: String) async throws -> [DomainEvent] {
        try await app.services.database.read { db in
            try EventLog.events(
                stream: EventLog.accountStream(accountID), after: 0, names: ["consent.changed"], limit: 100, in: db
            )
        }
    }

    /// Runs `body` on a fresh in-process app and stops the app whatever `body` does.
    static func withApp(_ body: (InProcessApp) async throws -> Void) async throws {
        let app = try await InProcessApp()
        do { try await body(app) } catch { Issue.record(error) }
        await app.stop()
    }

    @Test("a grant and a withdrawal append consent.changed once each; a refused change appends nothing")
    func changes() async throws {
        try await Self.withApp { app in
            let (buyer, accountID) = try await app.signUp()
            let version = try #require(
                try await app.send("GET", "/v1/privacy/notices").json["data"]?.arrayValue?.first?["version"]?.stringValue
            )
            let outdated = try await app.send(
                "PUT", "/v1/me/consents/marketing", json: ["granted": true, "notice_version": "1999-01"], token: buyer
            )
            #expect(outdated.status == 409)
            #expect(try await app.send("PUT", "/v1/me/consents/telepathy", json: ["granted": true], token: buyer).status == 404)
            #expect(try await Self.consentEvents(app, of: accountID).isEmpty, "a refused change leaves no event")
            // A record whose transaction fails takes its event with it.
            struct Injected: Error {}
            let record = ConsentRecord(
                id: "cns_failed", accountID: accountID, purpose: .analytics, granted: true, noticeVersion: version, createdAt: 0
            )
            await #expect(throws: Injected.self) {
                try await app.services.database.write { db in
                    try ConsentStore.append(record, in: db)
                    throw Injected()
                }
            }
            #expect(try await Self.consentEvents(app, of: accountID).isEmpty)

            let grant = try await app.send(
                "PUT", "/v1/me/consents/marketing", json: ["granted": true, "notice_version": .string(version)], token: buyer
            )
            #expect(grant.status == 200)
            #expect(try await app.send("PUT", "/v1/me/consents/marketing", json: ["granted": false], token: buyer).status == 200)
            let events = try await Self.consentEvents(app, of: accountID)
            try #require(events.count == 2, "one event per change")
            #expect(events.map { $0.data["purpose"] } == ["marketing", "marketing"])
            #expect(events.map { $0.data["granted"] } == [true, false])
            #expect(events.map { $0.data["notice_version"] } == [.string(version), .null])
            #expect(events.allSatisfy { $0.data["created_at"] == .int($0.createdAt) })
            let keys = events.map { event -> [String] in
                guard case let .object(members) = event.data else { return [] }
                return members.map(\.0).sorted()
            }
            #expect(keys.allSatisfy { $0 == ["created_at", "granted", "notice_version", "purpose"] }, "nothing else")

            // The account's event stream passes over it: not a name API.md §13 lists.
            let page = try await StreamSource.eventLog(app.services.database, eventName: EventStreamRoute.accountEventName)
                .read(EventLog.accountStream(accountID), 0, 100)
            #expect(!page.events.contains { $0.name.hasPrefix("consent") })
            #expect(page.lastID == events.last?.sequence, "its id is passed over, so a resume starts after it")
        }
    }

    @Test("erasure withdraws a granted consent with an event too, holding no personal text")
    func erasure() async throws {
        try await Self.withApp { app in
            let (buyer, accountID) = try await app.signUp(name: "Erika Mustermann")
            let version = try #require(app.services.inbox.notices[.marketing]?.version)
            _ = try await app.services.inbox.setConsent("marketing", granted: true, noticeVersion: version, for: accountID)
            let erased = try await app.send("DELETE", "/v1/me", json: ["password": "correct horse battery"], token: buyer)
            #expect(erased.status == 204, "\(erased.text)")
            let events = try await Self.consentEvents(app, of: accountID)
            #expect(events.map { $0.data["granted"] } == [true, false])
            #expect(!events.contains { $0.data.serializedString().contains("Erika") })
        }
    }
}
