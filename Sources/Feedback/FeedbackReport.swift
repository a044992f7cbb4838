import Core
import Foundation
import Storage

/// The figures of `GET /v1/admin/feedback/report` (API.md §19, §24), computed from responses, conversations and
/// orders of the window `[from, to)`.
public struct FeedbackReport: Sendable, Equatable {
    public struct Group: Sendable, Equatable {
        public var accounts: Int64
        public var averageOrderCents: Int64
        public var refundRate: Double
        public var repeatPurchaseRate: Double
    }

    public var npsScore: Double
    public var promoters: Int64
    public var passives: Int64
    public var detractors: Int64
    public var npsResponses: Int64
    public var csatScore: Double
    public var csatResponses: Int64
    public var cesAverage: Double
    public var cesResponses: Int64
    public var invitations: Int64
    public var responseRate: Double
    public var casesOpened: Int64
    public var answeredWithin48h: Int64
    public var medianFirstResponseSeconds: Int64
    public var escalated: Int64
    public var recovered: Int64
    public var groups: [String: Group]

    /// Half away from zero (API.md §24); a rate over nothing is 0.
    static func round(_ value: Double, places: Int) -> Double {
        let factor = pow(10.0, Double(places))
        return (value * factor).rounded(.toNearestOrAwayFromZero) / factor
    }

    static func rate(_ part: Int64, _ whole: Int64, places: Int = 4) -> Double {
        whole == 0 ? 0 : round(Double(part) / Double(whole), places: places)
    }

    /// The mean of the two middle values for an even count, rounded down; 0 for none.
    static func median(_ values: [Int64]) -> Int64 {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}

extension SurveyService {
    /// - Parameters: from, to: the window; nil is unbounded.
    public func report(from: Int64?, to: Int64?) async throws -> FeedbackReport {
        let surveys = self.surveys
        return try await database.read { db in try Self.report(surveys: surveys, from: from ?? Int64.min / 2, to: to ?? Int64.max / 2, in: db) }
    }

    static func report(surveys: [Survey], from: Int64, to: Int64, in db: Connection) throws -> FeedbackReport {
        func names(_ kind: Survey.Kind) -> [String] { surveys.filter { $0.kind == kind }.map(\.name) }
        let nps = try ReportStore.scores(names(.nps), from: from, to: to, in: db)
        let csat = try ReportStore.scores(names(.csat), from: from, to: to, in: db)
        let ces = try ReportStore.scores(names(.ces), from: from, to: to, in: db)
        let promoters = Int64(nps.filter { $0 >= 9 }.count)
        let detractors = Int64(nps.filter { $0 <= 6 }.count)
        let total = Int64(nps.count)
        let npsScore = total == 0 ? 0 : FeedbackReport.round(Double(promoters - detractors) * 100 / Double(total), places: 1)
        let csatGood = Int64(csat.filter { $0 >= 4 }.count)
        let invitations = try ReportStore.invitations(from: from, to: to, in: db)
        let responses = try ReportStore.responses(from: from, to: to, in: db)
        let cases = try ReportStore.cases(from: from, to: to, in: db)
        let answered = cases.compactMap(\.firstResponse)
        var groups: [String: FeedbackReport.Group] = [:]
        for (name, accounts) in try ReportStore.npsGroups(names(.nps), from: from, to: to, in: db) {
            let orders = try ReportStore.orders(of: accounts.map(\.account), from: from, to: to, in: db)
            let repeaters = try accounts.filter { try ReportStore.hasPaidOrder($0.account, from: $0.answeredAt, within: 90 * 86_400, in: db) }
            groups[name] = FeedbackReport.Group(
                accounts: Int64(accounts.count),
                averageOrderCents: orders.count == 0 ? 0 : orders.total / orders.count,
                refundRate: FeedbackReport.rate(orders.refunded, orders.total),
                repeatPurchaseRate: FeedbackReport.rate(Int64(repeaters.count), Int64(accounts.count))
            )
        }
        for name in ["promoter", "passive", "detractor"] where groups[name] == nil {
            groups[name] = FeedbackReport.Group(accounts: 0, averageOrderCents: 0, refundRate: 0, repeatPurchaseRate: 0)
        }
        return FeedbackReport(
            npsScore: npsScore, promoters: promoters, passives: total - promoters - detractors, detractors: detractors,
            npsResponses: total, csatScore: csat.isEmpty ? 0 : FeedbackReport.round(Double(csatGood) * 100 / Double(csat.count), places: 1),
            csatResponses: Int64(csat.count),
            cesAverage: ces.isEmpty ? 0 : FeedbackReport.round(Double(ces.reduce(0, +)) / Double(ces.count), places: 2),
            cesResponses: Int64(ces.count), invitations: invitations, responseRate: FeedbackReport.rate(responses, invitations),
            casesOpened: Int64(cases.count), answeredWithin48h: Int64(answered.filter { $0 <= 48 * 3600 }.count),
            medianFirstResponseSeconds: FeedbackReport.median(answered), escalated: Int64(cases.filter(\.escalated).count),
            recovered: try ReportStore.recovered(surveys: surveys, from: from, to: to, in: db), groups: groups
        )
    }
}

/// The report's reads (indexes: survey_responses(survey, created_at), survey_invitations(created_at),
/// orders_by_account, conversations_by_time).
enum ReportStore {
    static func scores(_ surveys: [String], from: Int64, to: Int64, in db: Connection) throws -> [Int64] {
        guard !surveys.isEmpty else { return [] }
        let marks = surveys.map { _ in "?" }.joined(separator: ", ")
        return try db.query(
            "SELECT score FROM survey_responses WHERE survey IN (\(marks)) AND created_at >= ? AND created_at < ?",
            arguments: surveys + [from, to]
        ).map { $0.int64("score") }
    }

    static func invitations(from: Int64, to: Int64, in db: Connection) throws -> Int64 {
        try db.scalar("SELECT COUNT(*) FROM survey_invitations WHERE created_at >= ? AND created_at < ?", from, to) ?? 0
    }

    static func responses(from: Int64, to: Int64, in db: Connection) throws -> Int64 {
        try db.scalar("SELECT COUNT(*) FROM survey_responses WHERE created_at >= ? AND created_at < ?", from, to) ?? 0
    }

    /// Feedback conversations created in the window: seconds to the first agent answer (nil when none) and escalation.
    static func cases(from: Int64, to: Int64, in db: Connection) throws -> [(firstResponse: Int64?, escalated: Bool)] {
        try db.query(
            "SELECT created_at, first_response_at, escalated FROM conversations WHERE kind = 'feedback' AND created_at >= ? AND created_at < ?",
            from, to
        ).map { row in (row.optionalInt64("first_response_at").map { $0 - row.int64("created_at") }, row.bool("escalated")) }
    }

    /// Recovery answers in the window that are not detractors.
    static func recovered(surveys: [Survey], from: Int64, to: Int64, in db: Connection) throws -> Int64 {
        try db.query(
            """
            SELECT r.survey, r.score FROM survey_responses r JOIN survey_invitations i ON i.id = r.invitation_id
            WHERE i.recovery = 1 AND r.created_at >= ? AND r.created_at < ?
            """,
            from, to
        ).filter { row in
            guard let survey = surveys.first(where: { $0.name == row.string("survey") }) else { return false }
            return !survey.isDetractor(row.int64("score"))
        }.count.int64
    }

    /// Each account's latest NPS answer in the window, grouped.
    static func npsGroups(_ surveys: [String], from: Int64, to: Int64, in db: Connection) throws -> [String: [(account: String, answeredAt: Int64)]] {
        guard !surveys.isEmpty else { return [:] }
        let marks = surveys.map { _ in "?" }.joined(separator: ", ")
        let rows = try db.query(
            """
            SELECT account_id, score, created_at FROM survey_responses r WHERE survey IN (\(marks))
                AND created_at >= ? AND created_at < ? AND NOT EXISTS (
                    SELECT 1 FROM survey_responses later WHERE later.account_id = r.account_id AND later.survey IN (\(marks))
                        AND later.created_at >= ? AND later.created_at < ?
                        AND (later.created_at > r.created_at OR (later.created_at = r.created_at AND later.id > r.id)))
            """,
            arguments: surveys + [from, to] + surveys + [from, to]
        )
        var groups: [String: [(String, Int64)]] = [:]
        for row in rows {
            let score = row.int64("score")
            let name = score >= 9 ? "promoter" : (score >= 7 ? "passive" : "detractor")
            groups[name, default: []].append((row.string("account_id"), row.int64("created_at")))
        }
        return groups
    }

    /// The accounts' orders placed in the window, refunded or not.
    static func orders(of accounts: [String], from: Int64, to: Int64, in db: Connection) throws -> (count: Int64, total: Int64, refunded: Int64) {
        var result: (Int64, Int64, Int64) = (0, 0, 0)
        for account in accounts {
            if let row = try db.queryOne(
                """
                SELECT COUNT(*) AS n, COALESCE(SUM(total_cents), 0) AS total, COALESCE(SUM(refunded_cents), 0) AS refunded
                FROM orders WHERE account_id = ? AND created_at >= ? AND created_at < ?
                """,
                account, from, to
            ) {
                result = (result.0 + row.int64("n"), result.1 + row.int64("total"), result.2 + row.int64("refunded"))
            }
        }
        return result
    }

    /// A paid order (not fully refunded) placed within `within` seconds after `from`.
    static func hasPaidOrder(_ account: String, from: Int64, within: Int64, in db: Connection) throws -> Bool {
        try db.queryOne(
            "SELECT 1 AS one FROM orders WHERE account_id = ? AND status <> 'refunded' AND created_at > ? AND created_at <= ? LIMIT 1",
            account, from, from + within
        ) != nil
    }
}

extension Int {
    var int64: Int64 { Int64(self) }
}
