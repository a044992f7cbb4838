import Core
import Foundation
import Storage
import Testing

/// The scheduler's retries (docs/architecture.md): a failing job is tried five times in all; a kind with a last
/// resort has it run instead of being dropped, and one whose last resort fails too is kept, never lost.
@Suite("Scheduler: retries and the last resort")
struct SchedulerLastResortTests {
    struct Injected: Error {}

    /// Runs the four retries of a job whose first attempt failed: one pass after each delay (1, 2, 3 and 4 minutes).
    static func runRetries(_ scheduler: Scheduler, _ clock: ManualClock) async {
        for minutes in 1...4 {
            clock.advance(by: TimeInterval(60 * minutes))
            await scheduler.runDue()
        }
    }

    static func job(_ database: Database, _ kind: String) async throws -> (attempts: Int64, dueAt: Int64)? {
        try await database.read { db in
            try db.queryOne("SELECT attempts, due_at FROM scheduled_jobs WHERE kind = ?", kind)
                .map { ($0.int64("attempts"), $0.int64("due_at")) }
        }
    }

    @Test("after the fifth failure a kind's last resort runs once, in the pass's transaction, and the job is gone")
    func lastResortRuns() async throws {
        try await withManualScheduler { database, scheduler, clock in
            try await database.migrate(Scheduler.migrations + [Migration("9001_resorts", "CREATE TABLE resorts (key TEXT)")])
            let tries = Mutex(0)
            scheduler.handle("flaky", { _, _, _ in
                tries.withLock { $0 += 1 }
                throw Injected()
            }, givingUp: { job, _, db in
                try db.run("INSERT INTO resorts (key) VALUES (?)", job.key)
            })
            scheduler.handle("dropped", { _, _, _ in throw Injected() })
            let now = clock.now().epochSeconds
            try await database.write { db in
                try Scheduler.schedule("flaky", key: "k1", at: now, in: db)
                try Scheduler.schedule("dropped", key: "k2", at: now, in: db)
            }

            await scheduler.runDue()
            #expect(try await Self.job(database, "flaky")?.attempts == 1)
            #expect(try await Self.job(database, "flaky")?.dueAt == now + 60)
            await Self.runRetries(scheduler, clock)
            #expect(tries.withLock { $0 } == 5)
            #expect(try await database.read { db in try db.scalar("SELECT COUNT(*) FROM resorts WHERE key = 'k1'") } == 1)
            #expect(try await Self.job(database, "flaky") == nil)
            // A kind without a last resort is dropped after its fifth failure, as before.
            #expect(try await Self.job(database, "dropped") == nil)
        }
    }

    @Test("a last resort that fails too keeps the job, due again an hour later")
    func failingLastResortKeepsTheJob() async throws {
        try await withManualScheduler { database, scheduler, clock in
            let resorts = Mutex(0)
            scheduler.handle("stuck", { _, _, _ in throw Injected() }, givingUp: { _, _, _ in
                resorts.withLock { $0 += 1 }
                throw Injected()
            })
            try await database.write { db in try Scheduler.schedule("stuck", key: "k", at: clock.now().epochSeconds, in: db) }
            await scheduler.runDue()
            await Self.runRetries(scheduler, clock)
            #expect(resorts.withLock { $0 } == 1)
            let kept = try #require(try await Self.job(database, "stuck"))
            #expect(kept.dueAt == clock.now().epochSeconds + 3600)
            clock.advance(by: 3600)
            await scheduler.runDue()
            #expect(resorts.withLock { $0 } == 2, "each later failure goes straight to the last resort again")
        }
    }
}
