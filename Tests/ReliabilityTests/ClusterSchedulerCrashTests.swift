import Core
import Foundation
import Storage
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 25: "no scheduled job runs twice" across a real SIGKILL. A node is killed while PostgreSQL shows it holding
/// a claimed batch of due jobs (`FOR UPDATE SKIP LOCKED` in an open transaction); two fresh nodes then run the
/// whole backlog. Every job here is an abandoned-cart check, and each run of one records a trigger and a send-log
/// row unconditionally, so a job run twice would leave two of each, and a lost one none. Then the shared test clock.
@Suite("Kill -9 the node that holds claimed jobs", .enabled(if: Database.testsUsePostgres, "needs PostgreSQL"))
struct ClusterSchedulerCrashTests {
    /// More than one scheduler batch, so the survivors also take turns on what is left.
    static let customers = Scheduler.batchSize + 40

    @Test("SIGKILL while a node holds a batch of due jobs: the other nodes run each job exactly once")
    func killTheClaimant() async throws {
        await ServerGate.shared.acquire()
        let path = TestServer.temporaryDatabasePath()
        // Tells the victim's connections apart in pg_stat_activity (libpq passes URL parameters through).
        let victimName = "basar_victim_\(UUID().uuidString.prefix(8).lowercased())"
        var nodes: [BasarProcess] = []
        let database = try Database(path: path)
        do {
            nodes.append(try await BasarProcess(databasePath: path, extraArguments: ["--test-clock"]))
            nodes.append(try await BasarProcess(databasePath: path + "&application_name=" + victimName, extraArguments: ["--test-clock"]))
            nodes.append(try await BasarProcess(databasePath: path, extraArguments: ["--test-clock"]))
            let (admin, accounts) = try await Self.abandonCarts(on: nodes.map(\.client), path: path)
            try await waitUntil("every cart change scheduled its check") {
                try await database.read { db in try db.scalar("SELECT COUNT(*) FROM scheduled_jobs WHERE kind = 'signal.check'") }
                    == Int64(Self.customers)
            }

            // Only the victim runs jobs when they fall due: the others stop first (their test clocks would not move).
            for node in [nodes[0], nodes[2]] {
                node.kill(SIGTERM)
                #expect(await node.waitForExit() == 0)
            }
            let victim = nodes[1]
            let moved = try await victim.client.send("POST", "/v1/admin/test-clock", json: ["advance_seconds": 3_660], token: admin)
            #expect(moved.status == 200, "\(moved.text)")
            try await waitUntil("the victim holds claimed jobs", attempts: 4_000, pause: .milliseconds(5)) {
                try await database.read { db in
                    try db.scalar(
                        """
                        SELECT COUNT(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                        WHERE l.relation = CAST('scheduled_jobs' AS regclass) AND l.mode = 'RowShareLock'
                          AND a.application_name = ?
                        """,
                        victimName
                    )
                } ?? 0 > 0
            }
            victim.kill(SIGKILL)
            #expect(await victim.waitForExit() == 128 + SIGKILL)
            let (ranBefore, pendingAfterKill) = try await database.read { db in
                (try db.scalar("SELECT COUNT(*) FROM signal_triggers WHERE rule = 'abandoned_cart'") ?? -1,
                 try db.scalar("SELECT COUNT(*) FROM scheduled_jobs WHERE kind = 'signal.check'") ?? -1)
            }
            print("cluster scheduler crash: \(ranBefore) checks committed before the kill, \(pendingAfterKill) due again")
            #expect(pendingAfterKill > 0, "the victim died before the backlog was done")
            #expect(ranBefore + pendingAfterKill == Int64(Self.customers), "a claimed job is either done or due again")

            // Fresh nodes read the stored test-clock offset at start, so the jobs are due for them too.
            nodes.append(try await BasarProcess(databasePath: path, extraArguments: ["--test-clock"]))
            nodes.append(try await BasarProcess(databasePath: path, extraArguments: ["--test-clock"]))
            try await waitUntil("the survivors ran the backlog", attempts: 3_000) {
                try await database.read { db in try db.scalar("SELECT COUNT(*) FROM scheduled_jobs WHERE kind = 'signal.check'") } == 0
            }
            let (triggers, twice, logged, missing) = try await database.read { db in
                (
                    try db.scalar("SELECT COUNT(*) FROM signal_triggers WHERE rule = 'abandoned_cart'") ?? -1,
                    try db.scalar(
                        """
                        SELECT COUNT(*) FROM (SELECT account_id FROM signal_triggers WHERE rule = 'abandoned_cart'
                                              GROUP BY account_id HAVING COUNT(*) > 1) AS t
                        """
                    ) ?? -1,
                    try db.scalar("SELECT COUNT(*) FROM send_log WHERE rule = 'abandoned_cart'") ?? -1,
                    try accounts.filter {
                        try db.scalar("SELECT COUNT(*) FROM signal_triggers WHERE rule = 'abandoned_cart' AND account_id = ?", $0) != 1
                    }.count
                )
            }
            #expect(triggers == Int64(Self.customers), "one trigger per job")
            #expect(twice == 0, "no job ran twice")
            #expect(missing == 0, "every customer's check ran")
            #expect(logged == Int64(Self.customers), "one send-log decision per job (held out, or no consent)")
            // The test clock is one for the cluster: an advance on one node moves the other's clock too.
            let advanced = try await nodes[3].client.send("POST", "/v1/admin/test-clock", json: ["advance_seconds": 600], token: admin)
            let target = try #require(advanced.json["now"]?.stringValue, "\(advanced.text)")
            try await waitUntil("the other node's clock followed") {
                let other = try await nodes[4].client.send("GET", "/v1/admin/test-clock", token: admin)
                return (other.json["now"]?.stringValue ?? "") >= target
            }
            let check = try await BasarBinary.execute(["check", "--json", "--database", path])
            #expect(check.code == 0, "basar check: \(check.stdout) \(check.stderr)")
        } catch {
            Issue.record(error)
        }
        database.close()
        for node in nodes {
            node.kill(SIGKILL)
            _ = await node.waitForExit()
        }
        TestServer.removeDatabase(at: path)
        await ServerGate.shared.release()
    }

    /// An admin (for the test clock), a product, and `customers` accounts with it in their carts, spread over the
    /// nodes. - Returns: the admin's token and the customers' account ids.
    static func abandonCarts(on clients: [TestHTTPClient], path: String) async throws -> (String, [String]) {
        let adminEmail = "admin-\(UUID().uuidString.prefix(6).lowercased())@example.com"
        let admin = try await clients[0].signUp(email: adminEmail)
        try await BasarBinary.grant(email: adminEmail, role: "admin", databasePath: path)
        try await BasarBinary.grant(email: adminEmail, role: "merchant", databasePath: path)
        let product = try await clients[0].send("POST", "/v1/products", json: [
            "sku": "CLUSTER-CART", "title": "Teekanne", "price_cents": 1000, "stock": 5, "category": "test",
        ], token: admin.token)
        let productID = try #require(product.json["id"]?.stringValue, "\(product.text)")
        var accounts: [String] = []
        // Twelve at a time: sign-ups hash passwords off the event loops, and the pool is small on two cores.
        for start in stride(from: 0, to: customers, by: 12) {
            accounts += try await withThrowingTaskGroup(of: String.self) { group in
                for index in start..<min(start + 12, customers) {
                    let client = clients[index % clients.count]
                    group.addTask {
                        let customer = try await client.signUp()
                        let cart = try await client.send("PUT", "/v1/cart/items/\(productID)", json: ["quantity": 1], token: customer.token)
                        guard cart.status == 200 else { throw TestClientError("cart: \(cart.status) \(cart.text)") }
                        return customer.accountID
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        return (admin.token, accounts)
    }
}
