import Foundation

/// Calendar days in the deployment's time zone, for daily play limits.
public struct DailyWindow: Sendable {
    /// The environment variable naming the deployment's time zone (an IANA name such as `Europe/Berlin`).
    public static let environmentVariable = "BASAR_TIME_ZONE"
    public static let defaultTimeZone = "Europe/Berlin"

    public let timeZone: TimeZone

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    /// The deployment's time zone from `BASAR_TIME_ZONE`, `Europe/Berlin` when unset.
    ///
    /// - Throws: `GameContentError` naming the variable when it holds an unknown zone, so start-up stops.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> DailyWindow
    {
        let name = environment[environmentVariable].flatMap { $0.isEmpty ? nil : $0 } ?? defaultTimeZone
        guard let zone = TimeZone(identifier: name) else {
            throw GameContentError(file: "environment", field: environmentVariable, message: "unknown time zone '\(name)'")
        }
        return DailyWindow(timeZone: zone)
    }

    /// The day containing `epochSeconds`: its first second and the first second of the next day.
    ///
    /// Days are 23 or 25 hours long when daylight saving time starts or ends; `Calendar` accounts for that.
    public func day(containing epochSeconds: Int64) -> Range<Int64> {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let date = Date(timeIntervalSince1970: TimeInterval(epochSeconds))
        let start = calendar.startOfDay(for: date)
        let end = calendar.date(byAdding: .day, value: 1, to: start) ?? start.addingTimeInterval(86_400)
        return Int64(start.timeIntervalSince1970)..<Int64(end.timeIntervalSince1970)
    }
}
