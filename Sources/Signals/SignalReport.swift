import Core
import Storage
import Trust

/// One rule's counters for `GET /v1/admin/signals` (API.md §17, §24).
public struct SignalCounters: Sendable, Equatable {
    public var rule: String
    public var triggered: Int64
    public var sent: Int64
    public var suppressed: [String: Int64]
    public var quietHoursWaiting: Int64
    public var converted: Int64
    public var revenueCents: Int64
    public var treated: (accounts: Int64, converted: Int64)
    public var holdout: (accounts: Int64, converted: Int64)

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.rule == rhs.rule && lhs.triggered == rhs.triggered && lhs.sent == rhs.sent && lhs.suppressed == rhs.suppressed
    }
}

extension SignalEngine {
    /// The counters of this engine's rules, on one snapshot.
    public func report(from database: Database) async throws -> [SignalCounters] {
        let rules = self.rules
        return try await database.read { db in try Self.counters(of: rules, in: db) }
    }

    public static func counters(of rules: [SignalRule], in db: any Transaction) throws -> [SignalCounters] {
        try rules.map { rule in
            let (outcomes, waiting, _) = try InboxService.counters(of: rule.name, in: db)
            let treated = try SignalStore.conversion(rule.name, outcome: "sent", in: db)
            let holdout = try SignalStore.conversion(rule.name, outcome: "holdout", in: db)
            var suppressed: [String: Int64] = [:]
            for reason in Suppression.allCases { suppressed[reason.rawValue] = outcomes[reason.rawValue] ?? 0 }
            return SignalCounters(
                rule: rule.name, triggered: try SignalStore.triggered(rule.name, in: db), sent: outcomes["sent"] ?? 0,
                suppressed: suppressed, quietHoursWaiting: waiting, converted: treated.converted,
                revenueCents: treated.revenue, treated: (treated.accounts, treated.converted),
                holdout: (holdout.accounts, holdout.converted)
            )
        }
    }
}
