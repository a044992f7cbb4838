import Core
import Dispatch
import Foundation
import Storage
import Testing

/// Counts the runs of a job and lets a test await the n-th one: no sleep, and a timeout that fails instead of hanging.
final class JobRuns: Sendable {
    private struct State {
        var count = 0
        var waiters: [(runs: Int, id: Int, continuation: CheckedContinuation<Bool, Never>)] = []
        var nextID = 0
    }

    private let state = Mutex(State())

    var count: Int { state.withLock { $0.count } }

    /// Counts one run and answers whoever waited for this many.
    func record() {
        let ready = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            state.count += 1
            let count = state.count
            let ready = state.waiters.filter { $0.runs <= count }.map(\.continuation)
            state.waiters.removeAll { $0.runs <= count }
            return ready
        }
        ready.forEach { $0.resume(returning: true) }
    }

    /// Whether the job ran `runs` times within `seconds` (a bound for a loaded machine, not a pause).
    func wait(for runs: Int, seconds: Double = 10) async -> Bool {
        await withCheckedContinuation { continuation in
            let id = state.withLock { state -> Int? in
                if state.count >= runs { return nil }
                state.nextID += 1
                state.waiters.append((runs, state.nextID, continuation))
                return state.nextID
            }
            guard let id else { return continuation.resume(returning: true) }
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
                let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                    guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                    return state.waiters.remove(at: index).continuation
                }
                waiter?.resume(returning: false)
            }
        }
    }
}

/// The scheduler's wake-up: work scheduled due now, or within one poll, runs then — not at the next poll.
@Suite("Scheduler: work due now or soon wakes it")
struct SchedulerWakeTests {
    /// A started scheduler whose poll is an hour, so only a wake can make it run a job within a test; its first pass
    /// (the start's own) has run job `first` before `body` begins.
    static func withStartedScheduler(
        clock: any WallClock = SystemClock(),
        _ body: (Database, Scheduler, JobRuns) async throws -> Void
    ) async throws {
        try await withTemporaryDatabase { database, _ in
            try await database.migrate(Scheduler.migrations)
            let scheduler = Scheduler(
                database: database, clock: clock, logger: Logger(minimumLevel: .error), pollInterval: .seconds(3600)
            )
            let first = JobRuns()
            scheduler.handle("first") { _, _, _ in first.record() }
            let now = clock.now().epochSeconds
            try await database.write { db in try Scheduler.schedule("first", key: "k", at: now, in: db) }
            scheduler.start()
            #expect(await first.wait(for: 1), "the start's own pass runs what was due")
            // The loop stops before the database closes, whether `body` threw or not.
            var failure: (any Error)?
            do { try await body(database, scheduler, first) } catch { failure = error }
            await scheduler.stop()
            if let failure { throw failure }
        }
    }

    @Test("a job scheduled due now runs once its transaction commits, not at the next poll")
    func dueNowWakes() async throws {
        try await Self.withStartedScheduler { database, scheduler, _ in
            let runs = JobRuns()
            scheduler.handle("now") { _, _, _ in runs.record() }
            try await database.write { db in
                try Scheduler.schedule("now", key: "k", at: SystemClock().now().epochSeconds, in: db)
            }
            #expect(await runs.wait(for: 1))
        }
    }

    @Test("a job scheduled due within one poll runs at its due time, not at the next poll")
    func dueSoonWakes() async throws {
        try await Self.withStartedScheduler { database, scheduler, _ in
            let runs = JobRuns()
            let ranAt = Mutex<Date?>(nil)
            scheduler.handle("soon") { _, _, _ in
                ranAt.withLock { $0 = SystemClock().now() }
                runs.record()
            }
            let dueAt = SystemClock().now().epochSeconds + 1
            try await database.write { db in try Scheduler.schedule("soon", key: "k", at: dueAt, in: db) }
            #expect(await runs.wait(for: 1))
            #expect(try #require(ranAt.withLock { $0 }).timeIntervalSince1970 >= Double(dueAt))
        }
    }

    @Test("a job scheduled in a transaction that rolled back wakes nobody and runs never")
    func rolledBackSchedules() async throws {
        try await Self.withStartedScheduler { database, scheduler, _ in
            let runs = JobRuns()
            scheduler.handle("gone") { _, _, _ in runs.record() }
            await #expect(throws: Boom.self) {
                try await database.write { db in
                    try Scheduler.schedule("gone", key: "k", at: SystemClock().now().epochSeconds, in: db)
                    throw Boom()
                }
            }
            let marker = JobRuns()
            scheduler.handle("marker") { _, _, _ in marker.record() }
            try await database.write { db in
                try Scheduler.schedule("marker", key: "k", at: SystemClock().now().epochSeconds, in: db)
            }
            #expect(await marker.wait(for: 1))
            #expect(runs.count == 0)
        }
    }
}
