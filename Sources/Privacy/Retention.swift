import Core
import Foundation
import Payments
import Storage
import Trust

/// The statutory retention schedule (docs/privacy.md), each period counted from the end of the calendar year in
/// which a record was made (HGB §257, AO §147): a record of 2026 with an 8-year period may go from 1 January 2035.
public enum Retention {
    public struct Rule: Sendable {
        public let name: String
        public let years: Int
        let apply: @Sendable (Int64, Bool, any Transaction) throws -> Int64
    }

    public static let rules: [Rule] = [
        Rule(name: "business_letters", years: 6) { cutoff, dry, db in try InboxService.expire(before: cutoff, dryRun: dry, in: db) },
        Rule(name: "booking_vouchers", years: 8) { cutoff, dry, db in
            try OrderService.anonymizeVouchers(before: cutoff, dryRun: dry, in: db)
        },
        Rule(name: "books", years: 10) { cutoff, dry, db in try Ledger.anonymize(before: cutoff, dryRun: dry, in: db) },
    ]

    /// The first second of the year from which a record made before it is past `years`: records made in a year
    /// `Y <= asOfYear - years - 1` are past, so the cutoff is 1 January of `asOfYear - years` (deployment zone).
    public static func cutoff(asOf: Int64, years: Int) -> Int64 {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = CalendarDay.timeZone
        let year = calendar.component(.year, from: Date(timeIntervalSince1970: TimeInterval(asOf)))
        let start = calendar.date(from: DateComponents(year: year - years, month: 1, day: 1)) ?? Date(timeIntervalSince1970: 0)
        return Int64(start.timeIntervalSince1970)
    }

    /// Applies every rule in one transaction. - Returns: per rule, its cutoff and the records it touches.
    public static func run(asOf: Int64, dryRun: Bool, in db: any Transaction) throws -> [(rule: Rule, cutoff: Int64, records: Int64)] {
        try rules.map { rule in
            let cutoff = cutoff(asOf: asOf, years: rule.years)
            return (rule, cutoff, try rule.apply(cutoff, dryRun, db))
        }
    }
}
