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
    /// Whole milliseconds since 1970, for what must tell apart moments within one second (time-ordered ids).
    public var epochMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }
}

/// The test clock of API.md §13: real time plus an offset that only grows. `basar serve --test-clock` uses it, with
/// the offset kept in the database so that a restart never moves time back.
public final class AdjustableClock: WallClock, Sendable {
    private let offset: Mutex<Int64>

    public init(offsetSeconds: Int64 = 0) { offset = Mutex(offsetSeconds) }

    public func now() -> Date { Date() + TimeInterval(offset.withLock { $0 }) }

    public var offsetSeconds: Int64 { offset.withLock { $0 } }

    /// Sets the offset, but never lower than it is: time never goes back.
    public func setOffset(_ seconds: Int64) { offset.withLock { $0 = max($0, seconds) } }
}
