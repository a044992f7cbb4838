import Core
import Foundation
import Storage
import Testing

/// A scheduler on a fresh database whose clock stands still until the test moves it; nothing runs but `runDue`.
func withManualScheduler(_ body: (Database, Scheduler, ManualClock) async throws -> Void) async throws {
    try await withTemporaryDatabase { database, _ in
        try await database.migrate(Scheduler.migrations)
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let scheduler = Scheduler(database: database, clock: clock, logger: Logger(minimumLevel: .error))
        try await body(database, scheduler, clock)
    }
}

/// A handler that schedules its own key again, due at once: it runs once a pass, and a loop over passes ends.
@Suite("Scheduler: a job that reschedules itself due at once does not spin")
struct SchedulerReschedulingTests {
    /// Calls `runDue` until it says nothing more is due, at most `limit` times. - Returns: the passes it took.
    static func passesUntilIdle(_ scheduler: Scheduler, limit: Int = 20) async -> Int {
        var passes = 1
        while await scheduler.runDue(), passes < limit { passes += 1 }
        return passes
    }

    /// Lets kind `again` count its runs and give its own key a due time `step` seconds from its own one, or now.
    static func handleAgain(_ scheduler: Scheduler, step: Int64? = -1) -> JobRuns {
        let runs = JobRuns()
        scheduler.handle("again") { job, now, db in
            runs.record()
            try Scheduler.schedule("again", key: job.key, at: step.map { job.dueAt + $0 } ?? now, in: db)
        }
        return runs
    }

    @Test("rescheduled to now, or to before its own due time, it runs once a pass and the loop over passes ends",
          arguments: [nil, -1] as [Int64?])
    func oncePerPass(step: Int64?) async throws {
        try await withManualScheduler { database, scheduler, clock in
            let runs = Self.handleAgain(scheduler, step: step)
            let now = clock.now().epochSeconds
            try await database.write { db in try Scheduler.schedule("again", key: "k", at: now - 5, in: db) }

            #expect(await Self.passesUntilIdle(scheduler) == 1)
            #expect(runs.count == 1)
            let dueAt = try await database.read { db in try Scheduler.job("again", key: "k", in: db)?.dueAt }
            #expect(dueAt == (step == nil ? now : now - 6), "the new due time is kept")
            #expect(await Self.passesUntilIdle(scheduler) == 1)
            #expect(runs.count == 2, "the next pass runs it again, once")
        }
    }

    @Test("beside other due work it still runs once a pass, and the other work is done")
    func besideOtherWork() async throws {
        try await withManualScheduler { database, scheduler, clock in
            let again = Self.handleAgain(scheduler)
            let others = JobRuns()
            scheduler.handle("other") { _, _, _ in others.record() }
            let now = clock.now().epochSeconds
            let otherCount = Scheduler.batchSize + 50
            try await database.write { db in
                try Scheduler.schedule("again", key: "k", at: now - 5, in: db)
                for index in 0..<otherCount { try Scheduler.schedule("other", key: "\(index)", at: now, in: db) }
            }
            let passes = await Self.passesUntilIdle(scheduler)
            #expect(others.count == otherCount)
            #expect(again.count <= passes, "at most once in each pass")
            #expect(passes <= 3)
        }
    }

    @Test("a started scheduler does not run it again until its next pass (a wake or the poll)")
    func startedLoopDoesNotSpin() async throws {
        try await SchedulerWakeTests.withStartedScheduler { database, scheduler, _ in
            let again = Self.handleAgain(scheduler)
            let marker = JobRuns()
            scheduler.handle("marker") { _, _, _ in marker.record() }
            let now = SystemClock().now().epochSeconds
            try await database.write { db in try Scheduler.schedule("again", key: "k", at: now, in: db) }
            #expect(await again.wait(for: 1))
            // The one wait for something that must not happen: a spinning loop gets there at once.
            #expect(await again.wait(for: 2, seconds: 0.5) == false, "nothing woke it, so it does not run again")
            try await database.write { db in try Scheduler.schedule("marker", key: "k", at: now, in: db) }
            #expect(await marker.wait(for: 1))
            #expect(again.count == 2, "the marker's pass runs it once more")
        }
    }
}
