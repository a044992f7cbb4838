import Core
import Foundation

/// A task that runs `work` again whenever it is woken, and at least every `interval`; for the event dispatcher and
/// the scheduler. Waking is coalesced: many wakes while the work runs cause one more run, not many.
public final class BackgroundLoop: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
        var waiterID = 0
        var stopped = false
        var task: Task<Void, Never>?
    }

    private let state = Mutex(State())
    private let interval: Duration
    /// Returns whether more work is ready at once (a full batch), so the loop goes on without waiting.
    private let work: @Sendable () async -> Bool

    public init(interval: Duration, work: @escaping @Sendable () async -> Bool) {
        self.interval = interval
        self.work = work
    }

    public func start() {
        let task = Task { [self] in
            while !isStopped {
                let more = await work()
                if !more { await waitForWake() }
            }
        }
        state.withLock { $0.task = task }
    }

    /// Runs the work soon; cheap enough to call after every commit.
    public func wake() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            guard let waiter = s.waiter else {
                s.pending = true
                return nil
            }
            s.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Stops after the run in progress; returns when the loop has ended.
    public func stop() async {
        let task = state.withLock { s -> Task<Void, Never>? in
            s.stopped = true
            return s.task
        }
        wake()
        await task?.value
    }

    private var isStopped: Bool { state.withLock { $0.stopped } }

    private func waitForWake() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let id = state.withLock { s -> Int? in
                if s.pending || s.stopped {
                    s.pending = false
                    return nil
                }
                s.waiterID += 1
                s.waiter = continuation
                return s.waiterID
            }
            guard let id else {
                continuation.resume()
                return
            }
            // The timer resumes only the wait it was set for, so a late timer never cuts a later wait short.
            let nanoseconds = UInt64(interval.components.seconds) * 1_000_000_000
                + UInt64(interval.components.attoseconds / 1_000_000_000)
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(nanoseconds))) { [self] in
                let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
                    guard s.waiterID == id, let waiter = s.waiter else { return nil }
                    s.waiter = nil
                    return waiter
                }
                waiter?.resume()
            }
        }
    }
}
