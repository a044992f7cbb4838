/// An account's variant in a named experiment (API.md §21), for content that varies by experiment: a signal rule's
/// action, a game's prize table.
public struct ExperimentVariant: Sendable, Equatable {
    public var experimentID: String
    public var experimentKey: String
    /// The variant's key: the account's by the FNV-1a rule, or the first variant for an account without the
    /// `analytics` consent (§21).
    public var key: String
    /// Whether showing the variant is an exposure still to be logged: the experiment runs, the account gave the
    /// `analytics` consent, and no exposure of it is logged yet.
    public var exposurePending: Bool

    public init(experimentID: String, experimentKey: String, key: String, exposurePending: Bool) {
        self.experimentID = experimentID
        self.experimentKey = experimentKey
        self.key = key
        self.exposurePending = exposurePending
    }
}

/// Where Signals and Games ask for an experiment's variant. Declared here because the two share only Core, Storage
/// and Accounts; Insights answers it with the same assignment and exposure rules as `GET /v1/me/experiments/{key}`,
/// and App wires it.
public protocol ExperimentVariants: Sendable {
    /// The account's variant inside the caller's transaction.
    /// - Returns: `nil` when no experiment has that key or it is stopped: the content's own default applies.
    func variant(of experimentKey: String, for accountID: String, in db: any Transaction) throws -> ExperimentVariant?

    /// Logs the account's first exposure to `variant` inside the caller's write transaction, when it is pending and
    /// the `analytics` consent and the running experiment are still there as committed now.
    func expose(_ variant: ExperimentVariant, accountID: String, now: Int64, in db: any Transaction) throws
}

/// The key rules of API.md §24, for the experiments API and for the content files that name an experiment.
public enum ExperimentKeys {
    /// An experiment's key: `[a-z0-9-]{1,40}`.
    public static func isValid(_ key: String) -> Bool { isSlug(key, underscore: false) }

    /// A variant's key: `[a-z0-9_-]{1,40}`.
    public static func isValidVariant(_ key: String) -> Bool { isSlug(key, underscore: true) }

    static func isSlug(_ text: String, underscore: Bool) -> Bool {
        (1...40).contains(text.utf8.count) && text.utf8.allSatisfy { byte in
            (97...122).contains(byte) || (48...57).contains(byte) || byte == 45 || (underscore && byte == 95)
        }
    }
}
