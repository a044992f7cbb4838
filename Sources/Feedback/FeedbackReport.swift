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

    static func report(surveys: [Survey], from: Int64, to: Int64, in db: any Transaction) throws -> FeedbackReport {
        func names(_ kind: Survey.Kind) -> [String] { surveys.filter { $0.kind == kind }.map(\.name) }
        // Every answer of the window as counts per survey and score: the scores never leave SQLite one by one.
        let histogram = try FeedbackStore.histogram(from: from, to: to, in: db)
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
        let invitations = try FeedbackStore.invitationCount(from: from, to: to, in: db)
        let responses = histogram.values.reduce(0) { $0 + $1.values.reduce(0, +) }
        let cases = try FeedbackStore.cases(from: from, to: to, in: db)
        let answered = cases.compactMap(\.firstResponse)
        var groups: [String: FeedbackReport.Group] = [:]
        for (name, figures) in try FeedbackStore.groupFigures(names(.nps), from: from, to: to, in: db) {
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
            recovered: try FeedbackStore.recovered(surveys: surveys, from: from, to: to, in: db), groups: groups
        )
    }
}

extension Int {
    var int64: Int64 { Int64(self) }
}
