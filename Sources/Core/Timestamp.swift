import Foundation

/// RFC 3339 timestamps in UTC with a `Z`, second precision (API.md §1).
public enum Timestamp {
    public static func format(_ date: Date) -> String {
        format(epochSeconds: Int64(date.timeIntervalSince1970.rounded(.down)))
    }

    /// Formats without `String(format:)` or `gmtime_r`: profiles showed ~38,000 instructions per call that way, a
    /// quarter of a product request. Civil-from-days is Howard Hinnant's algorithm (proleptic Gregorian, UTC).
    public static func format(epochSeconds: Int64) -> String {
        let days = epochSeconds >= 0 ? epochSeconds / 86_400 : (epochSeconds - 86_399) / 86_400
        let secondsOfDay = Int(epochSeconds - days * 86_400)
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        let month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        let year = Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0))
        var bytes = [UInt8](repeating: 0, count: 20)
        func put(_ value: Int, _ width: Int, at offset: Int) {
            var v = value
            for i in stride(from: offset + width - 1, through: offset, by: -1) {
                bytes[i] = UInt8(48 + v % 10)
                v /= 10
            }
        }
        put(year, 4, at: 0)
        bytes[4] = 45
        put(month, 2, at: 5)
        bytes[7] = 45
        put(day, 2, at: 8)
        bytes[10] = 84
        put(secondsOfDay / 3600, 2, at: 11)
        bytes[13] = 58
        put(secondsOfDay / 60 % 60, 2, at: 14)
        bytes[16] = 58
        put(secondsOfDay % 60, 2, at: 17)
        bytes[19] = 90
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses RFC 3339 with `Z` or a numeric offset, fractional seconds allowed.
    public static func parse(_ text: String) -> Date? {
        if let shaped = parseUTC(text) { return shaped.map { Date(timeIntervalSince1970: TimeInterval($0)) } }
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }

    /// The shape Basar writes itself (`2026-12-07T03:15:00Z`) without a formatter: creating an ISO8601DateFormatter
    /// per call cost the recommendations consumer 15% of a checkout's CPU (perf, bench/ab.sh). `nil` when the text
    /// has another shape; `.some(nil)` for an impossible time in this shape (a 29th of February 2026, a 24th hour),
    /// which the formatter would have rolled over into the next day.
    static func parseUTC(_ text: String) -> Int64?? {
        let bytes = Array(text.utf8)
        guard bytes.count == 20, bytes[4] == 45, bytes[7] == 45, bytes[10] == 84, bytes[13] == 58, bytes[16] == 58,
              bytes[19] == 90
        else { return nil }
        func number(_ offset: Int, _ width: Int) -> Int64? {
            var value: Int64 = 0
            for byte in bytes[offset..<(offset + width)] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
              let minute = number(14, 2), let second = number(17, 2)
        else { return nil }
        guard (1...12).contains(month) else { return .some(nil) }
        // Days from civil (Howard Hinnant), the inverse of `format`.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second
        return .some(format(epochSeconds: seconds) == text ? seconds : nil)
    }
}
