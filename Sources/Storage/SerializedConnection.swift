import Dispatch
import Synchronization

/// A ``Connection`` pinned to its own serial `DispatchQueue`, like GRDB's `SerializedDatabase`.
///
/// `@unchecked Sendable` invariant: the NOMUTEX `sqlite3*` is never used from two threads at once. The writer's
/// connection is touched only by closures running on `queue`. A reader's connection is touched only by whoever holds
/// its ``ReaderPool`` index: closures on `queue`, or, for ``Database/lookup(_:)``, the holder's own thread through
/// ``runHere(_:)``. `sqlite3_*` never runs on an event-loop thread.
final class SerializedConnection: @unchecked Sendable {
    private let connection: Connection
    let queue: DispatchQueue
    /// Held by ``runHere(_:)`` and ``close()``, so closing never races a lookup running off the queue.
    private let closing = Mutex(())

    init(connection: Connection, label: String) {
        self.connection = connection
        queue = DispatchQueue(label: label)
    }

    /// Runs `body` on the queue and suspends the caller until it is done.
    func run<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body(self.connection) })
            }
        }
    }

    /// Runs `body` on the calling thread. Only for a reader whose ``ReaderPool`` index the caller holds, so that
    /// nothing else can be using the connection (see the type's invariant).
    func runHere<T: Sendable>(_ body: (Connection) throws -> T) throws -> T {
        try closing.withLock { _ in try body(connection) }
    }

    /// Closes the connection after the work queued before; blocks the caller.
    func close() {
        runSync { connection in closing.withLock { _ in connection.close() } }
    }

    /// Runs `body` on the queue without waiting for it.
    func runAsync(_ body: @escaping @Sendable (Connection) -> Void) {
        queue.async { body(self.connection) }
    }

    /// Runs `body` on the queue, blocking the calling thread. Traps if called from the queue itself (deadlock).
    func runSync<T>(_ body: (Connection) throws -> T) rethrows -> T {
        dispatchPrecondition(condition: .notOnQueue(queue))
        return try queue.sync { try body(connection) }
    }
}

/// Hands out reader indices so that each reader runs at most one closure at a time.
///
/// Callers beyond the pool size wait here, in arrival order, for a reader to come free; nothing queues up on the
/// readers' dispatch queues, so waiting is bounded by the number of callers awaiting, never by unbounded buffering.
final class ReaderPool: Sendable {
    private struct State {
        var idle: [Int]
        var waiters: [CheckedContinuation<Int, Never>] = []
    }

    private let state: Mutex<State>

    init(count: Int) {
        state = Mutex(State(idle: Array((0..<count).reversed())))
    }

    /// Returns the index of an idle reader, waiting for one if all are busy.
    func acquire() async -> Int {
        await withCheckedContinuation { continuation in
            let index: Int? = state.withLock { state in
                if let index = state.idle.popLast() {
                    return index
                }
                state.waiters.append(continuation)
                return nil
            }
            // Resumed outside the lock: a lock is never held across a resumption or an await (STYLE.md §14).
            if let index {
                continuation.resume(returning: index)
            }
        }
    }

    /// The index of an idle reader, or `nil` at once when all are busy.
    func tryAcquire() -> Int? {
        state.withLock { $0.idle.popLast() }
    }

    /// Gives a reader back: to the longest waiter if any, else to the idle list.
    func release(_ index: Int) {
        let waiter: CheckedContinuation<Int, Never>? = state.withLock { state in
            if state.waiters.isEmpty {
                state.idle.append(index)
                return nil
            }
            return state.waiters.removeFirst()
        }
        waiter?.resume(returning: index)
    }
}
