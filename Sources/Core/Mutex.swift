import Foundation

/// A lock around a small piece of state; never hold it across an `await`.
///
/// `Synchronization.Mutex` would do, but it is noncopyable and awkward to store in classes shared by closures on
/// this toolchain; this wrapper keeps the same shape.
public final class Mutex<Value>: @unchecked Sendable {
    // Invariant: `value` is only accessed inside `withLock`.
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
