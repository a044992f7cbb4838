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
        // Every answer of the window as counts per survey and score: the scores never leave SQLite one by one.
        let histogram = try ReportStore.histogram(from: from, to: to, in: db)
        func counts(_ kind: Survey.Kind) -> [(score: Int64, count: Int64)] {
            names(kind).flatMap { name in histogram[name, default: [:]].map { (score: $0.key, count: $0.value) } }
        }
        func answers(_ counts: [(score: Int64, count: Int64)], where rule: (Int64) -> Bool = { _ in true }) -> Int64 {
            counts.filter { rule($0.score) }.reduce(0) { $0 + $1.count }
        }
        let nps = counts(.nps), csat = counts(.csat), ces = counts(.ces)
        let promoters = answers(nps) { $0 >= 9 }
        let detractors = answers(nps) { $0 <= 6 }
        let total = answers(nps)
        let npsScore = total == 0 ? 0 : FeedbackReport.round(Double(promoters - detractors) * 100 / Double(total), places: 1)
        let csatResponses = answers(csat), csatGood = answers(csat) { $0 >= 4 }
        let cesResponses = answers(ces), cesSum = ces.reduce(0) { $0 + $1.score * $1.count }
        let invitations = try ReportStore.invitations(from: from, to: to, in: db)
        let responses = histogram.values.reduce(0) { $0 + $1.values.reduce(0, +) }
        let cases = try ReportStore.cases(from: from, to: to, in: db)
        let answered = cases.compactMap(\.firstResponse)
        var groups: [String: FeedbackReport.Group] = [:]
        for (name, figures) in try ReportStore.groupFigures(names(.nps), from: from, to: to, in: db) {
            groups[name] = FeedbackReport.Group(
                accounts: figures.accounts,
                averageOrderCents: figures.orders == 0 ? 0 : figures.total / figures.orders,
                refundRate: FeedbackReport.rate(figures.refunded, figures.total),
                repeatPurchaseRate: FeedbackReport.rate(figures.repeaters, figures.accounts)
            )
        }
        for name in ["promoter", "passive", "detractor"] where groups[name] == nil {
            groups[name] = FeedbackReport.Group(accounts: 0, averageOrderCents: 0, refundRate: 0, repeatPurchaseRate: 0)
        }
        return FeedbackReport(
            npsScore: npsScore, promoters: promoters, passives: total - promoters - detractors, detractors: detractors,
            npsResponses: total,
            csatScore: csatResponses == 0 ? 0 : FeedbackReport.round(Double(csatGood) * 100 / Double(csatResponses), places: 1),
            csatResponses: csatResponses,
            cesAverage: cesResponses == 0 ? 0 : FeedbackReport.round(Double(cesSum) / Double(cesResponses), places: 2),
            cesResponses: cesResponses, invitations: invitations, responseRate: FeedbackReport.rate(responses, invitations),
            casesOpened: Int64(cases.count), answeredWithin48h: Int64(answered.filter { $0 <= 48 * 3600 }.count),
            medianFirstResponseSeconds: FeedbackReport.median(answered), escalated: Int64(cases.filter(\.escalated).count),
            recovered: try ReportStore.recovered(surveys: surveys, from: from, to: to, in: db), groups: groups
        )
    }
}

/// The report's reads (indexes: survey_responses(survey, created_at), survey_invitations(created_at),
/// orders_by_account — which covers the orders' status and money columns — and conversations_by_time).
enum ReportStore {
    /// The number of answers per survey and score in the window (a few dozen rows for any number of answers).
    static func histogram(from: Int64, to: Int64, in db: Connection) throws -> [String: [Int64: Int64]] {
        var counts: [String: [Int64: Int64]] = [:]
        for row in try db.query(
            "SELECT survey, score, COUNT(*) AS n FROM survey_responses WHERE created_at >= ? AND created_at < ? GROUP BY survey, score",
            from, to
        ) {
            counts[row.string("survey"), default: [:]][row.int64("score")] = row.int64("n")
        }
        return counts
    }

    static func invitations(from: Int64, to: Int64, in db: Connection) throws -> Int64 {
        try db.scalar("SELECT COUNT(*) FROM survey_invitations WHERE created_at >= ? AND created_at < ?", from, to) ?? 0
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

    /// Per group of each account's latest NPS answer in the window: accounts, their orders in the window (count,
    /// total, refunded) and how many placed a paid order within 90 days after their answer. Three aggregate queries
    /// over one CTE, so the cost grows with the rows read, not with one query per account (bench/feedback.sh).
    static func groupFigures(
        _ surveys: [String], from: Int64, to: Int64, in db: Connection
    ) throws -> [String: (accounts: Int64, orders: Int64, total: Int64, refunded: Int64, repeaters: Int64)] {
        guard !surveys.isEmpty else { return [:] }
        let marks = surveys.map { _ in "?" }.joined(separator: ", ")
        let latest = """
            WITH latest AS (
                SELECT account_id, created_at AS answered_at,
                    CASE WHEN score >= 9 THEN 'promoter' WHEN score >= 7 THEN 'passive' ELSE 'detractor' END AS grp
                FROM (SELECT account_id, score, created_at, ROW_NUMBER() OVER (
                        PARTITION BY account_id ORDER BY created_at DESC, id DESC) AS n
                    FROM survey_responses WHERE survey IN (\(marks)) AND created_at >= ? AND created_at < ?)
                WHERE n = 1)
            """
        let window: [(any SQLBindable)?] = surveys + [from, to]
        var figures: [String: (accounts: Int64, orders: Int64, total: Int64, refunded: Int64, repeaters: Int64)] = [:]
        for row in try db.query(latest + " SELECT grp, COUNT(*) AS n FROM latest GROUP BY grp", arguments: window) {
            figures[row.string("grp")] = (row.int64("n"), 0, 0, 0, 0)
        }
        for row in try db.query(
            latest + """
                 SELECT l.grp, COUNT(o.id) AS n, COALESCE(SUM(o.total_cents), 0) AS total,
                    COALESCE(SUM(o.refunded_cents), 0) AS refunded
                FROM latest l JOIN orders o ON o.account_id = l.account_id AND o.created_at >= ? AND o.created_at < ?
                GROUP BY l.grp
                """,
            arguments: window + [from, to]
        ) {
            let name = row.string("grp")
            figures[name]?.orders = row.int64("n")
            figures[name]?.total = row.int64("total")
            figures[name]?.refunded = row.int64("refunded")
        }
        for row in try db.query(
            latest + """
                 SELECT l.grp, COUNT(*) AS n FROM latest l WHERE EXISTS (
                    SELECT 1 FROM orders o WHERE o.account_id = l.account_id AND o.status <> 'refunded'
                        AND o.created_at > l.answered_at AND o.created_at <= l.answered_at + 7776000)
                GROUP BY l.grp
                """,
            arguments: window
        ) {
            figures[row.string("grp")]?.repeaters = row.int64("n")
        }
        return figures
    }
}

extension Int {
    var int64: Int64 { Int64(self) }
}
