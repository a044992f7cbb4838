import CSQLite
import Synchronization

/// Group commit for the single writer: every write that queued up while the previous commit was running goes into
/// one `BEGIN IMMEDIATE` transaction, followed by one `COMMIT` — so with `synchronous=FULL` many writes share one
/// fsync (https://sqlite.org/pragma.html#pragma_synchronous).
///
/// A write that throws fails alone. The writes first run without savepoints: inside one, SQLite's pager first copies
/// every page a write changes into a sub-journal, a temporary file like the statement journal of
/// https://sqlite.org/tempfiles.html (35 µs of system CPU a checkout, bench/RESULTS.md). When a write of such a
/// batch throws, the whole transaction is rolled back and the batch runs again with a savepoint per write, as do the
/// next ``carefulBatches`` batches, so a run of failures (a sold-out flash sale) does not run every batch twice. A
/// write body may therefore run more than once: its only effects are on the transaction. Nobody is answered before
/// the COMMIT that holds their work succeeded; if the COMMIT fails, everybody in the batch gets that error and
/// nothing of theirs stays. The queue is bounded by the callers awaiting it; one drain takes at most `maxBatch`
/// writes.
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
    /// How many batches run with a savepoint per write after a batch without them had a failing write.
    static let carefulBatches = 64
    /// Batches left to run with savepoints; touched only on the writer's queue.
    private let careful = Mutex(0)
    /// Runs on the writer after a batch's callers were answered and observers told: the engine's upkeep
    /// (the WAL checkpoint), which then delays only the writes queued behind it, not the ones it follows.
    private let afterCommit: @Sendable (Connection) -> Void

    init(writer: SerializedConnection, maxBatch: Int = 256, afterCommit: @escaping @Sendable (Connection) -> Void = { _ in }) {
        self.writer = writer
        self.maxBatch = maxBatch
        self.afterCommit = afterCommit
    }

    /// Writes queued behind the one running (tests form a batch with it).
    var pendingCount: Int { state.withLock { $0.pending.count } }

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

    /// Commits `batch`, and returns the writes still to do: those after a write whose error made SQLite roll back
    /// the whole transaction (SQLITE_FULL, IOERR, …), which get a fresh one.
    private func commit(_ batch: ArraySlice<any PendingWrite>, _ db: Connection) -> ArraySlice<any PendingWrite> {
        // A write alone needs no savepoint: if it fails, rolling back the transaction undoes only its own work.
        let direct = batch.count == 1 || careful.withLock { careful in
            defer { careful = max(0, careful - 1) }
            return careful == 0
        }
        if direct {
            if commitDirectly(batch, db) { return [] }
            careful.withLock { $0 = Self.carefulBatches }
        }
        return commitWithSavepoints(batch, db)
    }

    /// Runs the writes without savepoints. - Returns: false when a write of several failed: everything was rolled
    /// back and nobody answered, so the batch must run again with savepoints.
    private func commitDirectly(_ batch: ArraySlice<any PendingWrite>, _ db: Connection) -> Bool {
        guard begin(batch, db) else { return true }
        for job in batch {
            if job.execute(db, savepoint: false) { continue }
            if db.isInTransaction { _ = try? db.run("ROLLBACK") }
            guard batch.count == 1 else { return false }
            job.finish(committed: false, error: nil)
            return true
        }
        finishCommit(Array(batch), db)
        return true
    }

    /// Runs each write in its own savepoint, so one that throws rolls back alone.
    private func commitWithSavepoints(
        _ batch: ArraySlice<any PendingWrite>, _ db: Connection
    ) -> ArraySlice<any PendingWrite> {
        guard begin(batch, db) else { return [] }
        var done: [any PendingWrite] = []
        for (offset, job) in zip(batch.indices, batch) {
            job.execute(db, savepoint: true)
            done.append(job)
            if !db.isInTransaction {
                // The transaction is gone: the earlier writes of this batch were rolled back with it.
                let lost = SQLiteError.misuse("the transaction was rolled back by a failing write in the same commit", sql: nil)
                done.forEach { $0.finish(committed: false, error: lost) }
                return batch[(offset + 1)...]
            }
        }
        finishCommit(done, db)
        return []
    }

    /// Opens the batch's transaction. - Returns: false when it could not, after answering everybody with the error.
    private func begin(_ batch: ArraySlice<any PendingWrite>, _ db: Connection) -> Bool {
        do {
            try db.run("BEGIN IMMEDIATE")
            db.earliestScheduledDue = nil
            return true
        } catch {
            batch.forEach { $0.finish(committed: false, error: error) }
            return false
        }
    }

    /// Commits the open transaction and answers `done`: each its own outcome, or everybody the COMMIT's error.
    private func finishCommit(_ done: [any PendingWrite], _ db: Connection) {
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
    }
}

/// One queued write, type-erased so a batch can mix result types.
private protocol PendingWrite: AnyObject, Sendable {
    /// Runs the body in the open transaction, in a savepoint of its own or not, and keeps its outcome.
    /// - Returns: whether the body succeeded.
    @discardableResult
    func execute(_ db: Connection, savepoint: Bool) -> Bool
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

    func execute(_ db: Connection, savepoint: Bool) -> Bool {
        let scheduled = db.earliestScheduledDue
        outcome = savepoint ? Result { try db.savepoint { try body(db) } } : Result { try body(db) }
        guard case .failure = outcome else { return true }
        // A write that failed took its scheduled jobs with it: they wake nobody.
        db.earliestScheduledDue = scheduled
        return false
    }

    func finish(committed: Bool, error: (any Error)?) {
        switch (outcome, committed) {
        case let (.failure(own)?, _): continuation.resume(throwing: own)
        case let (.success(value)?, true): continuation.resume(returning: value)
        default: continuation.resume(throwing: error ?? SQLiteError.misuse("write was not run", sql: nil))
        }
    }
}
