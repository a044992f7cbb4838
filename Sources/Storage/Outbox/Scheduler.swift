import Core
import Dispatch

/// Work that becomes due at a time: one row per `(kind, key)`, found through the index on `due_at` (never a scan).
public struct ScheduledJob: Sendable, Equatable {
    public let kind: String
    public let key: String
    public let dueAt: Int64
    public let data: JSON
}

/// The durable scheduler (docs/architecture.md): due rows are taken in `due_at` order, handled and deleted in one
/// transaction, so a job runs once and a restart resumes what was due. Time comes from the injected clock, so the
/// test clock (API.md §13) moves it.
public final class Scheduler: Sendable {
    public static let migrations = [
        Migration(
            "0011_create_scheduled_jobs",
            """
            CREATE TABLE scheduled_jobs (
                kind TEXT NOT NULL,
                key TEXT NOT NULL,
                due_at INTEGER NOT NULL,
                data TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (kind, key)
            );
            CREATE INDEX scheduled_jobs_by_due ON scheduled_jobs(due_at);
            """
        ),
    ]

    public typealias Handler = @Sendable (ScheduledJob, Int64, any Transaction) throws -> Void

    public static let batchSize = 200
    static let maxAttempts = 5

    let database: Database
    private let clock: any WallClock
    private let logger: Logger
    private let handlers: Mutex<[String: Handler]> = Mutex([:])
    private let lastResorts: Mutex<[String: Handler]> = Mutex([:])
    private let afterCommit: Mutex<[@Sendable () -> Void]> = Mutex([])
    private let loop: Mutex<BackgroundLoop?> = Mutex(nil)
    private let barrier: Mutex<(@Sendable () async -> Void)?> = Mutex(nil)
    /// Runs before each pass reads the clock (``followTestClock(_:)``).
    let beforePass: Mutex<(@Sendable () async -> Void)?> = Mutex(nil)
    /// The due time of the armed wake-up timer, and the latest one a timer fired for (see ``wake(forJobDueAt:)``).
    private let timer = Mutex<(armed: Int64?, fired: Int64)>((nil, .min))
    /// How often the loop looks for due work when nothing wakes it (work committed by other processes).
    let pollInterval: Duration

    /// Creates a scheduler; it runs nothing until ``start()``.
    /// - Parameters:
    ///   - database: holds the jobs.
    ///   - clock: decides what is due.
    ///   - logger: for failed jobs and passes.
    ///   - pollInterval: how often the started loop looks for due work nobody woke it for.
    public init(database: Database, clock: any WallClock, logger: Logger, pollInterval: Duration = .seconds(1)) {
        self.database = database
        self.clock = clock
        self.logger = logger
        self.pollInterval = pollInterval
    }

    /// Registers what a kind of job does, in the transaction that deletes it; register before ``start()``.
    ///
    /// A job that fails is retried later, ``maxAttempts`` times in all; then it is dropped — unless the kind has a
    /// `givingUp` handler, which then runs instead (in its own savepoint) for work that must not stay undone, such
    /// as an auction that would stay open with money held. If that fails too, the job is kept and tried again an
    /// hour later, never dropped.
    /// - Parameters:
    ///   - handler: the work, in the transaction that deletes the row.
    ///   - givingUp: the last resort after the last failed attempt.
    public func handle(_ kind: String, _ handler: @escaping Handler, givingUp: Handler? = nil) {
        handlers.withLock { $0[kind] = handler }
        if let givingUp { lastResorts.withLock { $0[kind] = givingUp } }
    }

    /// Runs before every pass: the event consumers catch up first, so a job never runs on a state that an event
    /// committed before it would have changed (a cart change that moved the abandoned-cart check, an order that
    /// cancelled it). With a real clock that is a matter of milliseconds; a test-clock jump makes it visible.
    public func runAfter(_ barrier: @escaping @Sendable () async -> Void) {
        self.barrier.withLock { $0 = barrier }
    }

    /// Something to do after a batch of jobs committed (waking streams).
    public func afterEachBatch(_ body: @escaping @Sendable () -> Void) {
        afterCommit.withLock { $0.append(body) }
    }

    /// Schedules (or moves) the job `(kind, key)` inside the caller's transaction. A job due before the started
    /// scheduler's next poll wakes it once that transaction commits (at once, or at the job's due time).
    public static func schedule(
        _ kind: String, key: String, at dueAt: Int64, data: JSON = [:], in db: any Transaction
    ) throws {
        try db.run(
            """
            INSERT INTO scheduled_jobs (kind, key, due_at, data) VALUES (?, ?, ?, ?)
            ON CONFLICT (kind, key) DO UPDATE SET due_at = excluded.due_at, data = excluded.data, attempts = 0
            """,
            kind, key, dueAt, data.serializedString()
        )
        // After COMMIT the started scheduler wakes if this is due before its next poll.
        db.noteScheduledJob(dueAt: dueAt)
    }

    public static func cancel(_ kind: String, key: String, in db: any Transaction) throws {
        try db.run("DELETE FROM scheduled_jobs WHERE kind = ? AND key = ?", kind, key)
    }

    public static func job(_ kind: String, key: String, in db: any Transaction) throws -> ScheduledJob? {
        try db.queryOne("SELECT * FROM scheduled_jobs WHERE kind = ? AND key = ?", kind, key).map(job)
    }

    /// Polls every ``pollInterval`` and runs at once when woken (a test-clock advance wakes it).
    public func start() {
        let loop = BackgroundLoop(interval: pollInterval) { [self] in await runDue() }
        self.loop.withLock { $0 = loop }
        database.onJobScheduled { [weak self] dueAt in self?.wake(forJobDueAt: dueAt) }
        loop.start()
    }

    public func wake() { loop.withLock { $0 }?.wake() }

    /// Wakes the started loop for a job due at `dueAt`: at once if it is due, at its due time if that comes before
    /// the next poll; a later one is the poll's. A timer is armed once per due time, so a clock that stands still
    /// (a test's `ManualClock`) never makes the loop spin.
    func wake(forJobDueAt dueAt: Int64) {
        guard loop.withLock({ $0 }) != nil else { return }
        let delay = Double(dueAt) - clock.now().timeIntervalSince1970
        guard delay > 0 else { return wake() }
        let poll = Double(pollInterval.components.seconds) + Double(pollInterval.components.attoseconds) / 1e18
        guard delay <= poll else { return }
        let arm = timer.withLock { timer -> Bool in
            guard dueAt > timer.fired, timer.armed.map({ dueAt < $0 }) ?? true else { return false }
            timer.armed = dueAt
            return true
        }
        guard arm else { return }
        // A millisecond past the due second, so that the pass it starts finds the job due.
        DispatchQueue.global().asyncAfter(deadline: .now() + delay + 0.001) { [weak self] in
            guard let self else { return }
            timer.withLock { timer in
                if timer.armed == dueAt { timer.armed = nil }
                timer.fired = max(timer.fired, dueAt)
            }
            wake()
        }
    }

    public func stop() async { await loop.withLock { $0 }?.stop() }

    /// Runs the jobs due now, oldest first, one batch.
    ///
    /// A job whose handler gives its own key a due time not after now runs again in the next pass (a wake, the poll or
    /// a caller's next call), not again in this one, and does not by itself make this pass answer `true`: so neither
    /// the loop nor a caller's `while await runDue() {}` spins on it.
    /// - Returns: whether more are due now: the batch was full, or its jobs scheduled others due at once (the pages
    ///   of a fan-out, each its own transaction).
    @discardableResult
    public func runDue() async -> Bool {
        if let beforePass = beforePass.withLock({ $0 }) { await beforePass() }
        let now = clock.now().epochSeconds
        let handlers = self.handlers.withLock { $0 }
        let lastResorts = self.lastResorts.withLock { $0 }
        let logger = self.logger
        do {
            // Cheap when idle: one index probe.
            let next = try await database.read { db in try db.scalar("SELECT MIN(due_at) FROM scheduled_jobs") }
            guard let next else { return false }
            guard next <= now else {
                wake(forJobDueAt: next)
                return false
            }
            if let barrier = barrier.withLock({ $0 }) { await barrier() }
            let (more, nextLater) = try await database.write { db -> (Bool, Int64?) in
                // What this pass schedules is this pass's to report (below), not a reason to wake it again.
                let scheduledBefore = db.earliestScheduledDue
                defer { db.earliestScheduledDue = scheduledBefore }
                // Invariant: a job runs once. Its DELETE below must change one row before its handler runs; on
                // PostgreSQL `FOR UPDATE SKIP LOCKED` also lets several nodes take disjoint batches without waiting.
                let lock = db.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
                let rows = try db.query(
                    "SELECT * FROM scheduled_jobs WHERE due_at <= ? ORDER BY due_at, kind, key LIMIT ?" + lock,
                    now, Int64(Self.batchSize)
                )
                var dueAgain = 0
                for row in rows {
                    let job = Self.job(row)
                    do {
                        guard let handler = handlers[job.kind] else { throw Failure.invalidState("no handler for \(job.kind)") }
                        // The row goes before the handler runs, so a due time the handler gives its own key stays (even
                        // the same one); a row an earlier job of this pass moved or cancelled is not run from its copy.
                        let ran = try db.savepoint { () -> Bool in
                            let sql = "DELETE FROM scheduled_jobs WHERE kind = ? AND key = ? AND due_at = ?"
                            guard try db.run(sql, job.kind, job.key, job.dueAt) == 1 else { return false }
                            try handler(job, now, db)
                            return true
                        }
                        if ran, let again = try db.scalar(
                            "SELECT due_at FROM scheduled_jobs WHERE kind = ? AND key = ?", job.kind, job.key
                        ), again <= now { dueAgain += 1 }
                    } catch {
                        let attempts = row.int64("attempts") + 1
                        logger.error("scheduled job failed", ["kind": job.kind, "attempt": String(attempts), "error": String(describing: error)])
                        var retryAt: Int64? = attempts < Self.maxAttempts ? now + 60 * attempts : nil
                        if retryAt == nil, let lastResort = lastResorts[job.kind] {
                            do {
                                try db.savepoint { try lastResort(job, now, db) }
                            } catch {
                                logger.error("scheduled job's last resort failed; kept", ["kind": job.kind, "error": String(describing: error)])
                                retryAt = now + 3600
                            }
                        }
                        if let retryAt {
                            try db.run(
                                "UPDATE scheduled_jobs SET attempts = ?, due_at = ? WHERE kind = ? AND key = ?",
                                attempts, retryAt, job.kind, job.key
                            )
                        } else {
                            try db.run("DELETE FROM scheduled_jobs WHERE kind = ? AND key = ?", job.kind, job.key)
                        }
                    }
                }
                // More is due at once only beyond the jobs that are due again by their own handler: those wait.
                let dueNow = try db.scalar(
                    "SELECT COUNT(*) FROM (SELECT 1 FROM scheduled_jobs WHERE due_at <= ? LIMIT ?) AS due",
                    now, Int64(dueAgain + 1)
                )
                let nextLater = try db.scalar("SELECT MIN(due_at) FROM scheduled_jobs WHERE due_at > ?", now)
                return ((dueNow ?? 0) > dueAgain, nextLater)
            }
            for body in afterCommit.withLock({ $0 }) { body() }
            if let nextLater { wake(forJobDueAt: nextLater) }
            return more
        } catch {
            logger.warning("scheduler pass failed", ["error": String(describing: error)])
            return false
        }
    }

    static func job(_ row: Row) -> ScheduledJob {
        ScheduledJob(
            kind: row.string("kind"), key: row.string("key"), dueAt: row.int64("due_at"),
            data: (try? JSONParser.parse(Array(row.string("data").utf8))) ?? [:]
        )
    }
}
