import Foundation

/// Days in the deployment's time zone (`BASAR_TIME_ZONE`, default Europe/Berlin, API.md §24), through Foundation's
/// calendar so that daylight saving time is right.
public enum CalendarDay {
    public static var timeZone: TimeZone {
        let name = ProcessInfo.processInfo.environment["BASAR_TIME_ZONE"] ?? "Europe/Berlin"
        return TimeZone(identifier: name) ?? TimeZone(identifier: "Europe/Berlin")!
    }

    /// The `(year, month, day)` of a `YYYY-MM-DD` text that names a real date, else nil.
    public static func parse(_ text: String) -> DateComponents? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        let components = DateComponents(year: year, month: month, day: day)
        // The calendar rolls 2026-02-30 over to March; a round trip catches dates that do not exist.
        guard let start = start(of: components, in: timeZone),
              calendar(timeZone).dateComponents([.year, .month, .day], from: start) == components
        else { return nil }
        return components
    }

    /// The first second of a day in `zone`.
    public static func start(of day: DateComponents, in zone: TimeZone = timeZone) -> Date? {
        var components = day
        (components.hour, components.minute, components.second) = (0, 0, 0)
        return calendar(zone).date(from: components)
    }

    /// The midnight that ends a day in `zone`: when a promised date or a `--until` date is over.
    public static func end(of day: DateComponents, in zone: TimeZone = timeZone) -> Date? {
        guard let start = start(of: day, in: zone) else { return nil }
        return calendar(zone).date(byAdding: .day, value: 1, to: start)
    }

    /// The `YYYY-MM-DD` of `date` plus `days`, in `zone`: promised delivery days, goodwill days, test helpers.
    public static func text(of date: Date, plusDays days: Int = 0, in zone: TimeZone = timeZone) -> String {
        let calendar = calendar(zone)
        let shifted = calendar.date(byAdding: .day, value: days, to: date) ?? date
        let parts = calendar.dateComponents([.year, .month, .day], from: shifted)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }
}
