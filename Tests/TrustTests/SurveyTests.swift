import Core
import Foundation
import Testing
import TestSupport

/// API.md §19 with the test clock: invitations at the right moment, the throttle, detractor cases and recovery.
@Suite("Surveys and the feedback loop")
struct SurveyTests {
    static func pending(_ w: TrustWorld<some TestApp>, _ token: String) async throws -> [JSON] {
        try await w.server.send("GET", "/v1/surveys/pending", token: token).json["data"]?.arrayValue ?? []
    }

    /// A delivered order of the buyer.
    static func delivered(_ w: TrustWorld<some TestApp>, _ token: String, product: String) async throws -> String {
        let order = try await w.order(product, token: token)
        let shipment = try await w.server.send("POST", "/v1/orders/\(order)/shipments", json: [
            "carrier": "DHL", "tracking_number": "1", "promised_delivery_date": "2099-01-01",
        ], token: w.merchant)
        #expect(try await w.server.send("POST", "/v1/shipments/\(shipment.json.id)/delivered", token: w.merchant).status == 200)
        return order
    }

    @Test("NPS 3 days after delivery, throttled for 30 days together with CES; CES 1 day after a refund; CSAT on resolve")
    func triggers() async throws {
        try await TrustWorld.with(testClock: true) { w in
            let buyer = try await w.buyer(funds: 10_000)
            let product = try await w.product()
            let order = try await Self.delivered(w, buyer.token, product: product)
            try await w.advance(minutes: 2 * 24 * 60)
            #expect(try await Self.pending(w, buyer.token).isEmpty, "not before 3 days")
            try await w.advance(minutes: 24 * 60 + 1)
            let invitations = try await Self.pending(w, buyer.token)
            #expect(invitations.count == 1)
            let nps = try #require(invitations.first)
            #expect(nps["survey"] == "nps_delivery")
            #expect(nps["scale"] == ["min": 0, "max": 10])
            #expect(nps["subject"] == ["type": "order", "id": .string(order)])
            #expect(nps["id"]?.stringValue?.hasPrefix("inv_") == true)
            let item = try await w.server.send("GET", "/v1/inbox", token: buyer.token).json["data"]?.arrayValue?.first { $0["category"] == "feedback" }
            #expect(item?["data"]?["invitation_id"] == nps["id"])

            // A refund within the 30 days: its CES invitation is throttled away; a second delivery too.
            #expect(try await w.server.send("POST", "/v1/orders/\(order)/refunds", json: ["reason": "broken"], token: buyer.token).status == 201)
            _ = try await Self.delivered(w, buyer.token, product: product)
            try await w.advance(minutes: 4 * 24 * 60)
            #expect(try await Self.pending(w, buyer.token).map { $0["survey"] } == ["nps_delivery"])

            // A resolved support conversation invites a CSAT at once, also within the throttle; resolving twice, once.
            let (agent, _) = try await w.server.signUp(roles: [.agent])
            let conversation = try await w.server.send("POST", "/v1/conversations", json: ["subject": "Hi", "text": "Help"], token: buyer.token)
            let id = conversation.json.id
            _ = try await w.server.send("POST", "/v1/conversations/\(id)/messages", json: ["text": "Done"], token: agent)
            _ = try await w.server.send("POST", "/v1/conversations/\(id)/resolve", token: agent)
            _ = try await w.server.send("POST", "/v1/conversations/\(id)/resolve", token: buyer.token)
            try await w.advance(minutes: 1)
            let surveys = try await Self.pending(w, buyer.token).compactMap { $0["survey"]?.stringValue }
            #expect(surveys.sorted() == ["csat_support", "nps_delivery"])

            // Past 30 days a refund invites a CES one day later.
            try await w.advance(minutes: 30 * 24 * 60)
            let second = try await w.order(product, token: buyer.token)
            _ = try await w.server.send("POST", "/v1/orders/\(second)/refunds", json: ["reason": "changed my mind"], token: buyer.token)
            try await w.advance(minutes: 24 * 60 + 1)
            let ces = try await Self.pending(w, buyer.token).first { $0["survey"] == "ces_refund" }
            #expect(ces?["subject"]?["type"] == "refund")
            #expect(ces?["scale"] == ["min": 1, "max": 7])
            // Invitations expire after 14 days.
            try await w.advance(minutes: 15 * 24 * 60)
            #expect(try await Self.pending(w, buyer.token).isEmpty)
        }
    }

    @Test("a detractor's answer opens exactly one feedback case (10 parallel answers); recovery 7 days after it is resolved")
    func detractorAndRecovery() async throws {
        try await TrustWorld.withServer(testClock: true) { w in
            let (agent, _) = try await w.server.signUp(roles: [.agent])
            let buyer = try await w.buyer(funds: 10_000)
            _ = try await Self.delivered(w, buyer.token, product: try await w.product())
            try await w.advance(minutes: 3 * 24 * 60 + 1)
            let invitation = try #require(try await Self.pending(w, buyer.token).first)
            let id = invitation.id
            let offScale = try await w.server.send("POST", "/v1/surveys/invitations/\(id)/responses", json: ["score": 11], token: buyer.token)
            #expect(offScale.status == 400)
            #expect(offScale.json["errors"]?.arrayValue?.first?["field"] == "score")
            let answers = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<10 {
                    group.addTask { try await w.server.send("POST", "/v1/surveys/invitations/\(id)/responses", json: ["score": 2], token: buyer.token) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.status == 201 }.count == 1)
            #expect(answers.filter { $0.status == 409 && $0.code == "already_answered" }.count == 9)
            let cases = try await w.server.send("GET", "/v1/conversations", token: buyer.token).json["data"]?.arrayValue ?? []
            #expect(cases.count == 1)
            let feedback = try #require(cases.first)
            #expect(feedback["kind"] == "feedback")
            let due = Timestamp.parse(feedback["first_response_due_at"]?.stringValue ?? "")
            let created = Timestamp.parse(feedback["created_at"]?.stringValue ?? "")
            #expect(due.flatMap { d in created.map { d.timeIntervalSince($0) } } == TimeInterval(48 * 3600))
            let first = try await w.server.send("GET", "/v1/conversations/\(feedback.id)/messages", token: buyer.token)
            #expect(first.json["data"]?.arrayValue?.first?["author"]?["role"] == "customer")
            #expect(first.json["data"]?.arrayValue?.first?["text"]?.stringValue?.contains("2") == true, "the score, without a comment")

            _ = try await w.server.send("POST", "/v1/conversations/\(feedback.id)/messages", json: ["text": "Sorry, here is what we do."], token: agent)
            _ = try await w.server.send("POST", "/v1/conversations/\(feedback.id)/resolve", token: agent)
            try await w.advance(minutes: 6 * 24 * 60)
            #expect(try await Self.pending(w, buyer.token).isEmpty, "not before 7 days")
            try await w.advance(minutes: 24 * 60 + 1)
            let recovery = try #require(try await Self.pending(w, buyer.token).first)
            #expect(recovery["survey"] == "nps_delivery")
            #expect(recovery["subject"] == invitation["subject"])
            #expect(try await w.server.send("POST", "/v1/surveys/invitations/\(recovery.id)/responses", json: ["score": 9, "comment": "Much better"], token: buyer.token).status == 201)
            let report = try await w.server.send("GET", "/v1/admin/feedback/report", token: w.admin)
            #expect(report.json["cases"]?["opened"] == 1)
            #expect(report.json["cases"]?["recovered"] == 1)
            #expect(report.json["nps"]?["responses"] == 2, "NPS counts recovery answers too")
            let late = try await w.server.send("POST", "/v1/surveys/invitations/\(recovery.id)/responses", json: ["score": 9], token: buyer.token)
            #expect(late.status == 409)
        }
    }
}

@Suite("Feedback patterns")
struct FeedbackPatternTests {
    @Test("comments grouped by the order's category; recurring words without German stop words")
    func patterns() async throws {
        try await TrustWorld.with(testClock: true) { w in
            let product = try await w.product()
            for (score, comment) in [(Int64(2), "Die Lieferung war viel zu spät und die Verpackung kaputt"), (3, "Verpackung kaputt, Lieferung spät"), (10, "Alles wunderbar")] {
                let buyer = try await w.buyer(funds: 5_000)
                _ = try await SurveyTests.delivered(w, buyer.token, product: product)
                try await w.advance(minutes: 3 * 24 * 60 + 1)
                let invitation = try #require(try await SurveyTests.pending(w, buyer.token).first)
                let answer = try await w.server.send("POST", "/v1/surveys/invitations/\(invitation.id)/responses", json: [
                    "score": .int(score), "comment": .string(comment),
                ], token: buyer.token)
                #expect(answer.status == 201)
            }
            let patterns = try await w.server.send("GET", "/v1/admin/feedback/patterns", token: w.admin)
            #expect(patterns.json["categories"]?.arrayValue?.first?["category"] == "test")
            #expect(patterns.json["categories"]?.arrayValue?.first?["detractors"] == 2)
            #expect(patterns.json["categories"]?.arrayValue?.first?["responses"] == 3)
            let words = patterns.json["detractor_words"]?.arrayValue?.compactMap { $0["word"]?.stringValue } ?? []
            #expect(Array(words.prefix(4)).sorted() == ["kaputt", "lieferung", "spät", "verpackung"])
            #expect(!words.contains("die") && !words.contains("und"), "stop words are left out")
            #expect(try await w.server.send("GET", "/v1/admin/feedback/patterns", token: w.merchant).status == 403)
        }
    }
}
