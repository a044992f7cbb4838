import Foundation
import Testing
import Trust

/// The quiet-hours rule (API.md §16) in an account's own time zone, across midnight and daylight saving time.
@Suite("Quiet hours")
struct QuietHoursTests {
    static let berlin = TimeZone(identifier: "Europe/Berlin")!

    /// Epoch seconds of a local time in Berlin.
    static func at(_ text: String) -> Int64 {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = berlin
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate]
        return Int64(formatter.date(from: text)!.timeIntervalSince1970)
    }

    @Test("22:00–08:00 spans midnight: quiet at 23:30 and 07:59 until 08:00, not at 08:00 or 21:59")
    func overnight() {
        let (start, end) = (22 * 60, 8 * 60)
        #expect(QuietHours.end(containing: Self.at("2026-12-07T23:30:00"), start: start, end: end, zone: Self.berlin) == Self.at("2026-12-08T08:00:00"))
        #expect(QuietHours.end(containing: Self.at("2026-12-08T07:59:00"), start: start, end: end, zone: Self.berlin) == Self.at("2026-12-08T08:00:00"))
        #expect(QuietHours.end(containing: Self.at("2026-12-08T08:00:00"), start: start, end: end, zone: Self.berlin) == nil)
        #expect(QuietHours.end(containing: Self.at("2026-12-08T21:59:00"), start: start, end: end, zone: Self.berlin) == nil)
    }

    @Test("a daytime window, an empty one, and the night the clocks go forward")
    func daytimeAndDST() {
        #expect(QuietHours.end(containing: Self.at("2026-12-08T13:00:00"), start: 12 * 60, end: 14 * 60, zone: Self.berlin) == Self.at("2026-12-08T14:00:00"))
        #expect(QuietHours.end(containing: Self.at("2026-12-08T13:00:00"), start: 600, end: 600, zone: Self.berlin) == nil)
        // 2027-03-28: 02:00 becomes 03:00 in Berlin; the night is one hour shorter, 08:00 is still 08:00 local.
        let end = QuietHours.end(containing: Self.at("2027-03-27T23:00:00"), start: 22 * 60, end: 8 * 60, zone: Self.berlin)
        let ending = try? #require(end)
        #expect(ending == Self.at("2027-03-28T08:00:00"))
        #expect((ending ?? 0) - Self.at("2027-03-27T23:00:00") == Int64(8 * 3600))
    }

    @Test("HH:MM parses strictly")
    func parsing() {
        #expect(QuietHours.minutes("22:00") == 1320)
        #expect(QuietHours.minutes("08:05") == 485)
        for bad in ["8:00", "24:00", "22:60", "22-00", "", "22:00:00"] { #expect(QuietHours.minutes(bad) == nil, "\(bad)") }
        #expect(QuietHours.text(485) == "08:05")
    }
}
