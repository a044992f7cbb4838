import Foundation

/// Money is integer minor units; one currency per deployment (API.md §1).
public enum Money {
    /// `BASAR_CURRENCY` overrides the default `EUR`.
    public static let currency: String = {
        let configured = ProcessInfo.processInfo.environment["BASAR_CURRENCY"] ?? ""
        return configured.count == 3 ? configured.uppercased() : "EUR"
    }()
}

extension Money {
    /// `12.30 EUR`: an amount for a message text, the same in both languages.
    public static func text(_ cents: Int64) -> String {
        let sign = cents < 0 ? "-" : ""
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction) \(currency)"
    }
}
