import CSQLite
import Synchronization

/// Group commit for the single writer: every write that queued up while the previous commit was running goes into
/// one `BEGIN IMMEDIATE` transaction, each in its own savepoint, followed by one `COMMIT` — so with
/// `synchronous=FULL` many writes share one fsync (https://sqlite.org/pragma.html#pragma_synchronous).
///
/// A write that throws rolls back to its own savepoint and fails alone. Nobody is answered before the COMMIT that
/// holds their work succeeded; if the COMMIT fails, everybody in the batch gets that error and nothing of theirs
/// stays. The queue is bounded by the callers awaiting it; one drain takes at most `maxBatch` writes.
final class GroupCommit: Sendable {
    private struct State {
        var pending: [any PendingWrite] = []
        var draining = false
    }

    private let writer: SerializedConnection
    private let state = Mutex(State())
    /// Called after every COMMIT, on the writer's queue: they must only signal (the event dispatcher's wake-up).
    let observers = Mutex<[@Sendable () -> Void]>([])
    /// Called after a COMMIT that scheduled a job, with its earliest due time; like ``observers``, they only signal.
    let scheduleObservers = Mutex<[@Sendable (Int64) -> Void]>([])
    private let maxBatch: Int
    /// Runs on the writer after a batch's callers were answered and observers told: the engine's upkeep
    /// (the WAL checkpoint), which then delays only the writes queued behind it, not the ones it follows.
    private let afterCommit: @Sendable (Connection) -> Void

    init(writer: SerializedConnection, maxBatch: Int = 256, afterCommit: @escaping @Sendable (Connection) -> Void = { _ in }) {
        self.writer = writer
        self.maxBatch = maxBatch
        self.afterCommit = afterCommit
    }

    /// Queues `body` and returns its result once the transaction holding it committed.
    func write<T: Sendable>(_ body: @escaping @Sendable (any Transaction) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let job = Write(body: body, continuation: continuation)
            let startDrain = state.withLock { state in
                state.pending.append(job)
                defer { state.draining = true }
                return !state.draining
            }
            if startDrain { writer.runAsync { self.drain($0) } }
        }
    }

    /// Runs on the writer's queue until nothing is pending.
    private func drain(_ db: Connection) {
        while true {
            let batch: [any PendingWrite] = state.withLock { state in
                let batch = Array(state.pending.prefix(maxBatch))
                state.pending.removeFirst(batch.count)
                if batch.isEmpty { state.draining = false }
                return batch
            }
            if batch.isEmpty { return }
            var rest = batch[...]
            while !rest.isEmpty { rest = commit(rest, db) }
        }
    }

    /// Commits as many of `batch` as one transaction holds and returns the writes still to do: those after a write
    /// whose error made SQLite roll back the whole transaction (SQLITE_FULL, IOERR, …), which get a fresh one.
    private func commit(_ batch: ArraySlice<any PendingWrite>, _ db: Connection) -> ArraySlice<any PendingWrite> {
        do {
            try db.run("BEGIN IMMEDIATE")
            db.earliestScheduledDue = nil
        } catch {
            batch.forEach { $0.finish(committed: false, error: error) }
            return []
        }
        var done: [any PendingWrite] = []
        for (offset, job) in zip(batch.indices, batch) {
            job.execute(db)
            done.append(job)
            if !db.isInTransaction {
                // The transaction is gone: the earlier writes of this batch were rolled back with it.
                let lost = SQLiteError.misuse("the transaction was rolled back by a failing write in the same commit", sql: nil)
                done.forEach { $0.finish(committed: false, error: lost) }
                return batch[(offset + 1)...]
            }
        }
        do {
            try db.run("COMMIT")
            done.forEach { $0.finish(committed: true, error: nil) }
            for observer in observers.withLock({ $0 }) { observer() }
            if let due = db.earliestScheduledDue {
                for observer in scheduleObservers.withLock({ $0 }) { observer(due) }
            }
            afterCommit(db)
        } catch {
            if db.isInTransaction { _ = try? db.run("ROLLBACK") }
            done.forEach { $0.finish(committed: false, error: error) }
        }
        return []
    }
}

/// One queued write, type-erased so a batch can mix result types.
private protocol PendingWrite: AnyObject, Sendable {
    /// Runs the body in a savepoint of the open transaction and keeps its outcome.
    func execute(_ db: Connection)
    /// Answers the caller: its own outcome if its transaction committed, else `error`.
    func finish(committed: Bool, error: (any Error)?)
}

private final class Write<T: Sendable>: PendingWrite, @unchecked Sendable {
    // Invariant: `outcome` is written by `execute` and read by `finish`, both on the writer's queue, in that order.
    private let body: @Sendable (any Transaction) throws -> T
    private let continuation: CheckedContinuation<T, any Error>
    private var outcome: Result<T, any Error>?

    init(body: @escaping @Sendable (any Transaction) throws -> T, continuation: CheckedContinuation<T, any Error>) {
        self.body = body
        self.continuation = continuation
    }

    func execute(_ db: Connection) {
        let scheduled = db.earliestScheduledDue
        outcome = Result { try db.savepoint { try body(db) } }
        // A write that failed took its scheduled jobs with it: they wake nobody.
        if case .failure = outcome { db.earliestScheduledDue = scheduled }
    }

    func finish(committed: Bool, error: (any Error)?) {
        switch (outcome, committed) {
        case let (.failure(own)?, _): continuation.resume(throwing: own)
        case let (.success(value)?, true): continuation.resume(returning: value)
        default: continuation.resume(throwing: error ?? SQLiteError.misuse("write was not run", sql: nil))
        }
    }
}
