import Core
import Foundation
import Privacy
import Storage

/// `basar retention run`: removes what is past its statutory retention period (docs/privacy.md).
enum RetentionCommand {
    static let help = """
        basar retention run [--as-of DATE] [--dry-run] [--json] [--db PATH]

        Deletes or anonymises records past their statutory period, counted from the end of the calendar year in
        which they were made: business letters (inbox items) 6 years, booking vouchers (orders, refunds: shipping
        addresses and refund reasons) 8 years, the books (ledger notes; amounts stay) 10 years.
        --as-of DATE   pretend today is DATE (YYYY-MM-DD), to see what a later run will do
        --dry-run      count only, change nothing
        """

    static func run(_ args: inout Arguments) async throws {
        if args.flag("help") { print(help); return }
        guard Array(args.positional.dropFirst()) == ["run"] else { throw UsageError("usage: basar retention run") }
        var asOf = Int64(Date().timeIntervalSince1970)
        if let text = args.option("as-of") {
            guard let day = CalendarDay.parse(text), let start = CalendarDay.start(of: day) else {
                throw UsageError("--as-of must be a date YYYY-MM-DD, not '\(text)'")
            }
            asOf = Int64(start.timeIntervalSince1970)
        }
        let dryRun = args.flag("dry-run")
        let day = asOf
        let database = try await CLI.openDatabase(&args)
        try args.rejectUnknown()
        let results = try await database.write { db in
            try Retention.run(asOf: day, dryRun: dryRun, in: db).map { ($0.rule.name, $0.rule.years, $0.cutoff, $0.records) }
        }
        if !dryRun { try await database.checkpoint() }
        database.close()
        if args.flag("json") {
            let rules = results.map { name, years, cutoff, records -> JSON in
                [
                    "rule": .string(name), "years": .int(Int64(years)),
                    "before": .string(Timestamp.format(epochSeconds: cutoff)), "records": .int(records),
                ]
            }
            print(JSON.object([("dry_run", .bool(dryRun)), ("rules", .array(rules))]).serializedString())
        } else {
            for (name, years, cutoff, records) in results {
                print("\(name) (\(years) years): \(records) records made before \(Timestamp.format(epochSeconds: cutoff))"
                    + (dryRun ? " would be" : "") + " removed or anonymised")
            }
        }
    }
}
