import Foundation

/// A small fixed pool of threads for blocking CPU work (password hashing) so it never runs on an event loop or
/// on Swift's cooperative pool, which has only one thread per core.
///
/// The queue in front of it is bounded: past `maxPending` callers get `Failure` `rate_limited` at once instead of
/// piling up without limit.
public final class WorkerPool: @unchecked Sendable {
    // Invariant: `pending` is only read or written while holding `lock`.
    private let queue: OperationQueue
    private let lock = NSLock()
    private var pending = 0
    private let maxPending: Int

    public init(name: String, threads: Int, maxPending: Int = 512) {
        queue = OperationQueue()
        queue.name = name
        queue.maxConcurrentOperationCount = threads
        self.maxPending = maxPending
    }

    /// Runs `body` on a pool thread and returns its result.
    /// - Throws: `Failure` `rate_limited` when too much work is already waiting, or what `body` throws.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        let admitted = lock.withLock {
            guard pending < maxPending else { return false }
            pending += 1
            return true
        }
        guard admitted else { throw Failure("rate_limited", .rateLimited, "The server is busy; try again", retryAfter: 1) }
        return try await withCheckedThrowingContinuation { continuation in
            queue.addOperation { [self] in
                let result = Result { try body() }
                lock.withLock { pending -= 1 }
                continuation.resume(with: result)
            }
        }
    }
}
