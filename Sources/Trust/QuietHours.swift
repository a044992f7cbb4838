import Foundation

/// Quiet hours in an account's time zone (API.md §16), a pure rule: offers wait until they end.
public enum QuietHours {
    /// - Parameters:
    ///   - start, end: minutes after local midnight; `start > end` spans midnight (22:00–08:00), `start == end` is off.
    /// - Returns: when the quiet hours that contain `now` end, or nil when `now` is outside them.
    public static func end(containing now: Int64, start: Int, end: Int, zone: TimeZone) -> Int64? {
        guard start != end else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let date = Date(timeIntervalSince1970: TimeInterval(now))
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        let quiet: Bool
        var endsTomorrow = false
        if start < end {
            quiet = minute >= start && minute < end
        } else {
            quiet = minute >= start || minute < end
            endsTomorrow = minute >= start
        }
        guard quiet else { return nil }
        let day = endsTomorrow ? calendar.date(byAdding: .day, value: 1, to: date) ?? date : date
        let ending = calendar.date(bySettingHour: end / 60, minute: end % 60, second: 0, of: day) ?? date
        return Int64(ending.timeIntervalSince1970)
    }

    /// `HH:MM` → minutes after midnight, nil when malformed.
    public static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
              (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        return hour * 60 + minute
    }

    public static func text(_ minutes: Int) -> String {
        let hour = minutes / 60, minute = minutes % 60
        return (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }
}
