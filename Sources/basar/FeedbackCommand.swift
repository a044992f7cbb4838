import API
import Core
import Feedback
import Foundation
import Storage

/// `basar feedback report`: the figures of `GET /v1/admin/feedback/report` on the command line.
enum FeedbackCommand {
    static let help = """
        basar feedback report [--from TIME] [--to TIME] [--json] [--db PATH] [--content DIR]

        NPS, CSAT and CES, invitations and the response rate, feedback cases (answered within 48 h, median first
        response, escalated, recovered) and the promoter/passive/detractor groups' orders, refunds and repeat
        purchases. TIME is RFC 3339; the window is [from, to), unbounded where left out.
        """

    static func run(_ args: inout Arguments) async throws {
        if args.flag("help") { print(help); return }
        guard Array(args.positional.dropFirst()) == ["report"] else { throw UsageError("usage: basar feedback report") }
        let from = try time(args.option("from"), "--from")
        let to = try time(args.option("to"), "--to")
        let content = URL(fileURLWithPath: args.option("content") ?? "Content")
        let database = try await CLI.openDatabase(&args)
        try args.rejectUnknown()
        let surveys = try Survey.load(from: content.appendingPathComponent("surveys"))
        let service = SurveyService(surveys: surveys, database: database, clock: SystemClock(), ids: .random)
        let report = try await service.report(from: from, to: to)
        database.close()
        if args.flag("json") {
            print(report.json.serializedString())
            return
        }
        print("""
            NPS \(report.npsScore) (\(report.promoters) promoters, \(report.passives) passives, \(report.detractors) detractors, \(report.npsResponses) answers)
            CSAT \(report.csatScore)% satisfied of \(report.csatResponses); CES \(report.cesAverage) average of \(report.cesResponses)
            \(report.invitations) invitations, response rate \(report.responseRate)
            cases: \(report.casesOpened) opened, \(report.answeredWithin48h) answered within 48 h, median first response \(report.medianFirstResponseSeconds) s, \(report.escalated) escalated, \(report.recovered) recovered
            """)
        for name in ["promoter", "passive", "detractor"] {
            let g = report.groups[name]
            print("\(name): \(g?.accounts ?? 0) accounts, average order \(Money.text(g?.averageOrderCents ?? 0)), refund rate \(g?.refundRate ?? 0), repeat purchase rate \(g?.repeatPurchaseRate ?? 0)")
        }
    }

    static func time(_ text: String?, _ option: String) throws(UsageError) -> Int64? {
        guard let text else { return nil }
        guard let date = Timestamp.parse(text) else { throw UsageError("\(option) must be an RFC 3339 time, not '\(text)'") }
        return date.epochSeconds
    }
}
