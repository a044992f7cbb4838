import Foundation

/// One message per second per account (API.md §9, §20): live chat and community chat share this rule and this code.
/// Memory stays bounded: entries older than a minute are swept as new ones arrive.
public final class MessageRateLimiter: Sendable {
    private let last = Mutex<[String: Double]>([:])
    private let sweepAt = Mutex<Double>(0)

    public init() {}

    /// Claims the account's slot at `now` (seconds). - Returns: the previous slot, to give back with ``giveBack``.
    /// - Throws: `429 rate_limited` with the seconds to wait.
    public func take(_ accountID: String, now: Double) throws -> Double? {
        sweep(now)
        return try last.withLock { last -> Double? in
            let previous = last[accountID]
            if let previous, now - previous < 1 {
                throw RateLimited(retryAfter: max(1, Int((previous + 1 - now).rounded(.up))))
            }
            last[accountID] = now
            return previous
        }
    }

    /// A message that failed does not use up the slot.
    public func giveBack(_ accountID: String, previous: Double?) {
        last.withLock { $0[accountID] = previous }
    }

    private func sweep(_ now: Double) {
        let due = sweepAt.withLock { at -> Bool in
            guard now >= at else { return false }
            at = now + 60
            return true
        }
        if due { last.withLock { $0 = $0.filter { $0.value > now - 60 } } }
    }
}

/// `429 rate_limited` with `Retry-After`.
public struct RateLimited: DomainError, Equatable {
    public let retryAfter: Int?
    /// - Parameter retryAfter: the seconds to wait, for `Retry-After`.
    public init(retryAfter: Int?) { self.retryAfter = retryAfter }
    public var code: String { "rate_limited" }
    public var kind: ErrorKind { .rateLimited }
    public var detail: String { "At most one message per second" }
}
