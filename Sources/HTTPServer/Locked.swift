import Foundation

/// A value guarded by a lock; never held across `await` or a system call that may block.
final class Locked<Value>: @unchecked Sendable {
    // Invariant: `value` is read and written only inside `withLock`, so access is serialized by `lock`.
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
