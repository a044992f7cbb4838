import Core
import Coupons
import Foundation

/// Reads `basar campaign create` options into a `CampaignDraft`; the value rules are `CouponRules`' (shared with
/// the API), only the command-line forms (numbers, dates) are checked here.
enum CampaignOptions {
    static func draft(_ args: inout Arguments) throws -> CampaignDraft {
        let name = try args.required("name")
        let percent = try args.integer("percent", CouponRules.percentRange)
        let fixed = try args.integer("fixed", CouponRules.centsRange)
        let discount: DiscountRule
        switch (percent, fixed) {
        case let (p?, nil): discount = .percent(p)
        case let (nil, f?): discount = .fixed(f)
        case (.some, .some): throw UsageError("give either --percent or --fixed, not both")
        case (nil, nil): throw UsageError("--percent N or --fixed CENTS is required")
        }
        let minSpend = try args.integer("min-spend", CouponRules.minSpendRange) ?? 0
        let maxDiscount = try args.integer("max-discount", CouponRules.centsRange)
        guard let maxCoupons = try args.integer("max-coupons", CouponRules.maxCouponsRange) else {
            throw UsageError("--max-coupons is required")
        }
        let perAccount = try args.integer("per-account", CouponRules.perAccountRange) ?? 1
        let from = try time(try args.required("from"), option: "--from")
        let until = try time(try args.required("until"), option: "--until", wholeDay: true)
        return CampaignDraft(
            name: name, discount: discount, minSpendCents: minSpend, maxDiscountCents: maxDiscount, validFrom: from,
            validUntil: until, maxCoupons: maxCoupons, perAccountLimit: perAccount, key: args.option("key")
        )
    }

    /// RFC 3339, or a date `YYYY-MM-DD` meaning midnight in the deployment's time zone (`BASAR_TIME_ZONE`, default
    /// Europe/Berlin), via Foundation's calendar so that daylight saving time is right.
    /// - Parameter wholeDay: a date means the end of that day (the next midnight), so `--until 2027-01-31` keeps
    ///   the 31st valid (API.md §14).
    static func time(_ text: String, option: String, wholeDay: Bool = false) throws(UsageError) -> Int64 {
        if let date = Timestamp.parse(text) { return date.epochSeconds }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else {
            throw UsageError("\(option) '\(text)' is neither a date (2026-11-11) nor an RFC 3339 time (2026-11-11T09:00:00Z)")
        }
        let zoneName = ProcessInfo.processInfo.environment["BASAR_TIME_ZONE"] ?? "Europe/Berlin"
        guard let zone = TimeZone(identifier: zoneName) else {
            throw UsageError("BASAR_TIME_ZONE '\(zoneName)' is not a known time zone")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
        // The calendar rolls 2026-02-30 over to March; a round trip catches dates that do not exist.
        guard let date = calendar.date(from: components),
              calendar.dateComponents([.year, .month, .day], from: date) == DateComponents(year: year, month: month, day: day)
        else { throw UsageError("\(option) '\(text)' is not a valid date") }
        guard wholeDay else { return date.epochSeconds }
        guard let end = calendar.date(byAdding: .day, value: 1, to: date) else {
            throw UsageError("\(option) '\(text)' is not a valid date")
        }
        return end.epochSeconds
    }
}

/// The CSV export of codes: a header `code`, then one code a line (API.md §12).
enum CSVFile {
    /// Creates the file before any database work, so an unwritable path fails before a campaign exists.
    static func prepare(_ path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data()) else {
            throw CommandFailure("cannot write \(path)")
        }
    }

    static func write(_ codes: [String], to path: String) throws {
        var text = "code\n"
        text.reserveCapacity(codes.count * 16 + 5)
        for code in codes {
            text += code
            text += "\n"
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw CommandFailure("cannot write \(path): \(error.localizedDescription)")
        }
    }
}

/// Human-readable campaign output.
enum CampaignText {
    static func discount(_ c: Campaign) -> String {
        switch c.discount {
        case let .percent(p):
            c.maxDiscountCents.map { "\(p)% off, at most \(money($0))" } ?? "\(p)% off"
        case let .fixed(cents):
            "\(money(cents)) off"
        }
    }

    static func money(_ cents: Int64) -> String { Money.text(cents) }

    static func line(_ c: Campaign) -> String {
        "\(c.id)  \(c.status.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0))  \(c.name) — \(discount(c)), "
            + "\(c.issued)/\(c.maxCoupons) issued" + (c.key.map { ", key \($0)" } ?? "")
    }

    static func describe(_ c: Campaign) -> String {
        """
        \(c.id)  \(c.name)
          status:        \(c.status.rawValue)
          key:           \(c.key ?? "—")
          discount:      \(discount(c))
          minimum spend: \(money(c.minSpendCents))
          valid:         \(Timestamp.format(epochSeconds: c.validFrom)) to \(Timestamp.format(epochSeconds: c.validUntil))
          budget:        \(c.maxCoupons) coupons, \(c.perAccountLimit) per account
          stats:         \(c.issued) issued, \(c.redeemed) redeemed, \(money(c.discountGrantedCents)) discount granted
          created:       \(Timestamp.format(epochSeconds: c.createdAt))
        """
    }
}
