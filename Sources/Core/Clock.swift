import Foundation

/// Wall-clock time, injectable so tests can move it (energy refill, day boundaries, refund windows).
public protocol WallClock: Sendable {
    func now() -> Date
}

public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock tests set and advance by hand.
public final class ManualClock: WallClock, @unchecked Sendable {
    // Invariant: `current` is only touched while holding `lock`.
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date) { current = start }

    public func now() -> Date { lock.withLock { current } }
    public func advance(by seconds: TimeInterval) { lock.withLock { current += seconds } }
    public func set(_ date: Date) { lock.withLock { current = date } }
}

extension Date {
    /// Whole seconds since 1970, the form timestamps are stored in.
    public var epochSeconds: Int64 { Int64(timeIntervalSince1970.rounded(.down)) }
}
