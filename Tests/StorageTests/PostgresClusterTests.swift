import Core
import Foundation
import Storage
import Synchronization
import Testing

/// Several nodes on one PostgreSQL database (issue 25), each with its own `Database` (pool, notifier, listener) as
/// separate `basar serve` processes have. Runs when the suite runs on PostgreSQL (`BASAR_TEST_DATABASE_URL`).
@Suite("PostgreSQL: several nodes on one database", .enabled(if: Database.testsUsePostgres, "needs PostgreSQL"))
struct PostgresClusterTests {
    /// Opens `count` nodes on one fresh schema, runs `body`, closes them and drops the schema.
    static func withNodes(_ count: Int, _ body: ([Database]) async throws -> Void) async throws {
        let path = Database.temporaryPath()
        let nodes = try (0..<count).map { _ in try Database(path: path) }
        defer {
            nodes.forEach { $0.close() }
            Database.destroy(at: path)
        }
        try await body(nodes)
    }

    @Test("300 due jobs and 3 started schedulers: every job runs exactly once")
    func jobsRunOnce() async throws {
        try await Self.withNodes(3) { nodes in
            try await nodes[0].migrate(Scheduler.migrations)
            try await nodes[0].write { db in
                // Every run inserts its key: a second run of a job would fail on the primary key and count twice.
                try db.execute("CREATE TABLE job_runs (key TEXT NOT NULL, node INTEGER NOT NULL)")
            }
            let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
            let schedulers = nodes.enumerated().map { index, node in
                let scheduler = Scheduler(database: node, clock: clock, logger: Logger(minimumLevel: .error))
                scheduler.handle("once") { job, _, db in
                    try db.run("INSERT INTO job_runs (key, node) VALUES (?, ?)", job.key, Int64(index))
                }
                return scheduler
            }
            let now = clock.now().epochSeconds
            try await nodes[1].write { db in
                for key in 0..<300 { try Scheduler.schedule("once", key: "job-\(key)", at: now - 1, in: db) }
            }
            await withTaskGroup(of: Void.self) { group in
                for scheduler in schedulers {
                    group.addTask { while await scheduler.runDue() {} }
                }
            }
            let (runs, distinct, left, nodesUsed) = try await nodes[2].read { db in
                (
                    try db.scalar("SELECT COUNT(*) FROM job_runs") ?? -1,
                    try db.scalar("SELECT COUNT(DISTINCT key) FROM job_runs") ?? -1,
                    try db.scalar("SELECT COUNT(*) FROM scheduled_jobs") ?? -1,
                    try db.scalar("SELECT COUNT(DISTINCT node) FROM job_runs") ?? -1
                )
            }
            #expect(runs == 300)
            #expect(distinct == 300)
            #expect(left == 0)
            // Not a promise (one node may take every batch), only what happened.
            print("jobsRunOnce: \(nodesUsed) of 3 nodes ran jobs")
        }
    }

    /// Each listener also wakes its node once a second by itself, so a wake-up within a second could be that poll:
    /// three rounds within 500 ms each leave a chance of 1 in 64 that polls alone pass it, none that it fails.
    @Test("a commit on one node wakes the other nodes' observers within 500 ms, three times in a row")
    func commitWakesOtherNodes() async throws {
        try await Self.withNodes(3) { nodes in
            try await nodes[0].write { db in try db.execute("CREATE TABLE pings (n BIGINT NOT NULL)") }
            let woken = Mutex<Set<Int>>([])
            for index in 1...2 {
                nodes[index].onCommit { _ = woken.withLock { $0.insert(index) } }
            }
            for round in 1...3 {
                woken.withLock { $0 = [] }
                try await nodes[0].write { db in try db.run("INSERT INTO pings (n) VALUES (?)", Int64(round)) }
                let deadline = Date().addingTimeInterval(0.5)
                while woken.withLock({ $0.count }) < 2, Date() < deadline {
                    try await Task.sleep(for: .milliseconds(2))
                }
                #expect(woken.withLock { $0 } == [1, 2], "round \(round)")
            }
        }
    }
}
