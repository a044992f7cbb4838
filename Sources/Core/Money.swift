import Foundation

/// Money is integer minor units; one currency per deployment (API.md §1).
public enum Money {
    /// `BASAR_CURRENCY` overrides the default `EUR`.
    public static let currency: String = {
        let configured = ProcessInfo.processInfo.environment["BASAR_CURRENCY"] ?? ""
        return configured.count == 3 ? configured.uppercased() : "EUR"
    }()
}
