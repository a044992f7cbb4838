import Core
import Storage

/// An A/B experiment (API.md §21): variants with weights, a salt committed by its SHA-256 and revealed at the stop.
public struct Experiment: Sendable, Equatable {
    public struct Variant: Sendable, Equatable {
        public var key: String
        public var weight: Int64

        public init(key: String, weight: Int64) {
            self.key = key
            self.weight = weight
        }
    }

    public enum Status: String, Sendable {
        case running, stopped
    }

    public var id: String
    public var key: String
    public var description: String?
    public var variants: [Variant]
    public var status: Status
    /// 32 lower-case hex characters; shown only once the experiment is stopped.
    public var salt: String
    /// SHA-256 hex of `salt` as UTF-8 text (API.md §24), shown from the start.
    public var saltHash: String
    public var createdAt: Int64
    public var stoppedAt: Int64?

    /// The salt as the API shows it: `nil` while the experiment runs, so no one can predict assignments.
    public var revealedSalt: String? { status == .stopped ? salt : nil }

    /// The variant an account gets by the FNV-1a rule of §21.
    public func variant(for accountID: String) -> Variant {
        variants[ExperimentAssignment.variantIndex(salt: salt, accountID: accountID, weights: variants.map(\.weight))]
    }
}

/// What `GET /v1/me/experiments/{key}` answers.
public struct ExperimentAssignmentAnswer: Sendable, Equatable {
    public var key: String
    public var variant: String
    /// Whether this call logged a first exposure (only with the `analytics` consent, while running).
    public var logged: Bool
}

/// An account's exposure, for its data export.
public struct ExperimentExposure: Sendable, Equatable {
    public var experimentKey: String
    public var variant: String
    public var exposedAt: Int64
}

/// The assignment rule of API.md §21, pure, so tests and outsiders can recompute it from a revealed salt.
public enum ExperimentAssignment {
    public static let buckets = 10_000

    /// FNV-1a 32-bit of the UTF-8 bytes of `salt + ":" + account_id`, modulo 10,000.
    public static func bucket(salt: String, accountID: String) -> Int {
        Int(FNV1a.hash32(salt + ":" + accountID) % UInt32(buckets))
    }

    /// Consecutive bucket ranges in variant order, each ⌊10000 × weight / total⌋ wide, the last taking the rest.
    public static func ranges(weights: [Int64]) -> [Range<Int>] {
        let total = weights.reduce(0, +)
        var start = 0
        return weights.enumerated().map { index, weight in
            let end = index == weights.count - 1 ? buckets : start + Int(Int64(buckets) * weight / total)
            defer { start = end }
            return start..<end
        }
    }

    public static func variantIndex(salt: String, accountID: String, weights: [Int64]) -> Int {
        let bucket = bucket(salt: salt, accountID: accountID)
        return ranges(weights: weights).firstIndex { $0.contains(bucket) } ?? weights.count - 1
    }

    /// A fresh salt: 16 random bytes as 32 lower-case hex characters.
    public static func newSalt() -> String { Hex.encode(SecureRandom.bytes(16)) }

    /// The commitment: SHA-256 hex of the salt's 32 characters as UTF-8 text (API.md §24).
    public static func commitment(of salt: String) -> String { Hex.encode(SHA256.hash(Array(salt.utf8))) }
}

/// Validation rules of an experiment draft (API.md §21, §24), pure.
public enum ExperimentRules {
    public static let variantCount = 2...5
    public static let weightRange: ClosedRange<Int64> = 1...10_000
    public static let descriptionLength = 0...500

    /// `[a-z0-9-]{1,40}`.
    public static func isValidKey(_ key: String) -> Bool { ExperimentKeys.isValid(key) }

    /// Variant keys: `[a-z0-9_-]{1,40}`.
    public static func isValidVariantKey(_ key: String) -> Bool { ExperimentKeys.isValidVariant(key) }
}
