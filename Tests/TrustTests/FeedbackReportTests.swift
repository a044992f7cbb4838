import Core
import Foundation
import Storage
import Testing
import TestSupport

/// The report's figures, exactly, on a small data set the test writes itself (API.md §19, §24).
@Suite("Feedback report")
struct FeedbackReportTests {
    static let day: Int64 = 86_400
    static let from: Int64 = 1_800_000_000
    static let to: Int64 = from + 30 * day

    @Test("NPS, CSAT, CES, response rate, cases and the three groups, exact, API and CLI alike")
    func exact() async throws {
        try await TrustWorld.withServer { w in
            try await w.server.database.write { db in try Self.seed(db) }
            let range = "from=\(Timestamp.format(epochSeconds: Self.from))&to=\(Timestamp.format(epochSeconds: Self.to))"
            let report = try await w.server.send("GET", "/v1/admin/feedback/report?\(range)", token: w.admin)
            #expect(report.status == 200, "\(report.text)")
            let expected: JSON = [
                "nps": ["score": .double(0), "promoters": 1, "passives": 1, "detractors": 1, "responses": 3],
                "csat": ["score": .double(66.7), "responses": 3],
                "ces": ["average": .double(4.5), "responses": 2],
                "invitations": 10, "response_rate": .double(0.8),
                "cases": [
                    "opened": 3, "answered_within_48h": 1, "median_first_response_seconds": 91_800, "escalated": 1,
                    "recovered": 0,
                ],
                "by_group": [
                    "promoter": ["accounts": 1, "average_order_cents": 2_000, "refund_rate": .double(0.125), "repeat_purchase_rate": .double(1)],
                    "passive": ["accounts": 1, "average_order_cents": 0, "refund_rate": .double(0), "repeat_purchase_rate": .double(0)],
                    "detractor": ["accounts": 1, "average_order_cents": 999, "refund_rate": .double(1), "repeat_purchase_rate": .double(0)],
                ],
                "currency": "EUR",
            ]
            #expect(report.json == expected, "\(report.text)")
            #expect(try await w.server.send("GET", "/v1/admin/feedback/report?from=yesterday", token: w.admin).status == 400)
            #expect(try await w.server.send("GET", "/v1/admin/feedback/report", token: w.merchant).status == 403)

            // The tactical layer: nothing is about an order in this data set; words come from comments only.
            let patterns = try await w.server.send("GET", "/v1/admin/feedback/patterns?\(range)", token: w.admin)
            #expect(patterns.status == 200)
            #expect(patterns.json["categories"]?.arrayValue?.first?["category"] == "(no order)")

            let cli = try await BasarBinary.execute([
                "feedback", "report", "--from", Timestamp.format(epochSeconds: Self.from),
                "--to", Timestamp.format(epochSeconds: Self.to), "--json", "--db", w.server.databasePath,
            ])
            #expect(cli.code == 0, "\(cli.stderr)")
            #expect(try JSONParser.parse(Array(cli.stdout.utf8)) == expected)
        }
    }

    /// A promoter (10), a passive (8), a detractor (0), and one more answer outside the window; CSAT 5, 4, 1;
    /// CES 7, 2; ten invitations in the window; three feedback cases answered after 1 h, after 50 h, and never.
    static func seed(_ db: any Transaction) throws {
        for account in ["acct_p", "acct_q", "acct_d"] {
            try db.run("INSERT INTO accounts (id, email, password_hash, display_name, created_at) VALUES (?, ?, '!', 'X', 0)", account, account + "@example.com")
        }
        var n = 0
        func invitation(_ account: String, _ survey: String, at: Int64) throws -> String {
            n += 1
            let id = "inv_\(n)"
            try db.run(
                """
                INSERT INTO survey_invitations (id, account_id, survey, subject_type, subject_id, recovery, expires_at, created_at)
                VALUES (?, ?, ?, 'order', ?, 0, ?, ?)
                """,
                id, account, survey, "subject_\(n)", at + 14 * day, at
            )
            return id
        }
        func answer(_ account: String, _ survey: String, _ score: Int64, at: Int64) throws {
            let id = try invitation(account, survey, at: at)
            try db.run(
                "INSERT INTO survey_responses (id, invitation_id, account_id, survey, score, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                "rsp_\(id)", id, account, survey, score, at
            )
        }
        try answer("acct_p", "nps_delivery", 10, at: from + day)
        try answer("acct_q", "nps_delivery", 8, at: from + day)
        try answer("acct_d", "nps_delivery", 0, at: from + 2 * day)
        try answer("acct_d", "nps_delivery", 9, at: from - day)  // before the window: neither counted nor grouping
        for (index, score) in [5, 4, 1].enumerated() { try answer("acct_q", "csat_support", Int64(score), at: from + Int64(index + 3) * day) }
        for score: Int64 in [7, 2] { try answer("acct_q", "ces_refund", score, at: from + 5 * day) }
        _ = try invitation("acct_p", "nps_delivery", at: from + 6 * day)
        _ = try invitation("acct_q", "csat_support", at: from + 6 * day)
        // Orders: the promoter's two in the window (one partly refunded) and one after its answer; the detractor's one,
        // fully refunded, before its answer.
        func order(_ id: String, _ account: String, total: Int64, refunded: Int64, at: Int64) throws {
            let status = refunded == 0 ? "paid" : (refunded == total ? "refunded" : "partially_refunded")
            try db.run(
                """
                INSERT INTO orders (id, account_id, status, subtotal_cents, discount_cents, total_cents, refunded_cents, created_at)
                VALUES (?, ?, ?, ?, 0, ?, ?, ?)
                """,
                id, account, status, total, total, refunded, at
            )
        }
        try order("ord_p1", "acct_p", total: 1_000, refunded: 0, at: from + day / 2)
        try order("ord_p2", "acct_p", total: 3_000, refunded: 500, at: from + 10 * day)
        try order("ord_d1", "acct_d", total: 999, refunded: 999, at: from + day)
        for (index, answeredAfter) in [Int64(3_600), 180_000, -1].enumerated() {
            try db.run(
                """
                INSERT INTO conversations (id, kind, customer_id, subject, status, first_response_due_at, first_response_at,
                    escalated, created_at, updated_at)
                VALUES (?, 'feedback', 'acct_d', 'x', 'open', ?, ?, ?, ?, ?)
                """,
                "cnv_\(index)", from + 2 * day + 48 * 3600, answeredAfter < 0 ? nil : from + 2 * day + answeredAfter,
                answeredAfter < 0 ? 1 : 0, from + 2 * day, from + 2 * day
            )
        }
    }
}
