import Core

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

    public typealias Handler = @Sendable (ScheduledJob, Int64, Connection) throws -> Void

    public static let batchSize = 200
    static let maxAttempts = 5

    private let database: Database
    private let clock: any WallClock
    private let logger: Logger
    private let handlers: Mutex<[String: Handler]> = Mutex([:])
    private let lastResorts: Mutex<[String: Handler]> = Mutex([:])
    private let afterCommit: Mutex<[@Sendable () -> Void]> = Mutex([])
    private let loop: Mutex<BackgroundLoop?> = Mutex(nil)
    private let barrier: Mutex<(@Sendable () async -> Void)?> = Mutex(nil)

    public init(database: Database, clock: any WallClock, logger: Logger) {
        self.database = database
        self.clock = clock
        self.logger = logger
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

    /// Schedules (or moves) the job `(kind, key)` inside the caller's transaction.
    public static func schedule(
        _ kind: String, key: String, at dueAt: Int64, data: JSON = [:], in db: Connection
    ) throws {
        try db.run(
            """
            INSERT INTO scheduled_jobs (kind, key, due_at, data) VALUES (?, ?, ?, ?)
            ON CONFLICT (kind, key) DO UPDATE SET due_at = excluded.due_at, data = excluded.data, attempts = 0
            """,
            kind, key, dueAt, data.serializedString()
        )
    }

    public static func cancel(_ kind: String, key: String, in db: Connection) throws {
        try db.run("DELETE FROM scheduled_jobs WHERE kind = ? AND key = ?", kind, key)
    }

    public static func job(_ kind: String, key: String, in db: Connection) throws -> ScheduledJob? {
        try db.queryOne("SELECT * FROM scheduled_jobs WHERE kind = ? AND key = ?", kind, key).map(job)
    }

    /// Polls every second and runs at once when woken (a test-clock advance wakes it).
    public func start() {
        let loop = BackgroundLoop(interval: .seconds(1)) { [self] in await runDue() }
        self.loop.withLock { $0 = loop }
        loop.start()
    }

    public func wake() { loop.withLock { $0 }?.wake() }

    public func stop() async { await loop.withLock { $0 }?.stop() }

    /// Runs the jobs due now, oldest first, one batch.
    /// - Returns: whether more are due now: the batch was full, or its jobs scheduled others due at once (the pages
    ///   of a fan-out, each its own transaction).
    @discardableResult
    public func runDue() async -> Bool {
        let now = clock.now().epochSeconds
        let handlers = self.handlers.withLock { $0 }
        let lastResorts = self.lastResorts.withLock { $0 }
        let logger = self.logger
        do {
            // Cheap when idle: one index probe.
            let next = try await database.read { db in try db.scalar("SELECT MIN(due_at) FROM scheduled_jobs") }
            guard let next, next <= now else { return false }
            if let barrier = barrier.withLock({ $0 }) { await barrier() }
            let (count, more) = try await database.write { db -> (Int, Bool) in
                // PostgreSQL: `FOR UPDATE SKIP LOCKED` lets several nodes take disjoint batches.
                let rows = try db.query(
                    "SELECT * FROM scheduled_jobs WHERE due_at <= ? ORDER BY due_at, kind, key LIMIT ?",
                    now, Int64(Self.batchSize)
                )
                for row in rows {
                    let job = Self.job(row)
                    do {
                        guard let handler = handlers[job.kind] else { throw Failure.invalidState("no handler for \(job.kind)") }
                        try db.savepoint { try handler(job, now, db) }
                        // The handler may have rescheduled the same key for later; delete only the row that ran.
                        try db.run("DELETE FROM scheduled_jobs WHERE kind = ? AND key = ? AND due_at = ?", job.kind, job.key, job.dueAt)
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
                let next = try db.scalar("SELECT MIN(due_at) FROM scheduled_jobs")
                return (rows.count, next.map { $0 <= now } ?? false)
            }
            for body in afterCommit.withLock({ $0 }) { body() }
            return count == Self.batchSize || more
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
