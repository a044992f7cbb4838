import Core
import Foundation
import Storage
import Testing
import TestSupport

/// Issue 25: a node's connections heal when PostgreSQL drops them (a restart, a failover, an operator's
/// `pg_terminate_backend`). Each broken connection fails the one request that finds it broken, then reconnects; with
/// pipelining a read leaves its COMMIT's answer unread, so the next user of a dropped connection meets the break
/// while reading that answer first.
@Suite("A node whose PostgreSQL connections are dropped", .enabled(if: Database.testsUsePostgres, "needs PostgreSQL"))
struct PostgresReconnectTests {
    @Test("PostgreSQL terminates every connection of a node: each fails one request at most, then reads and writes work")
    func heals() async throws {
        await ServerGate.shared.acquire()
        let path = TestServer.temporaryDatabasePath()
        let name = "basar_heal_\(UUID().uuidString.prefix(8).lowercased())"
        let database = try Database(path: path)
        var node: BasarProcess?
        do {
            let server = try await BasarProcess(databasePath: path + "&application_name=" + name)
            node = server
            // Parallel reads open several of the pool's connections.
            #expect(try await Self.reads(server.client).allSatisfy { $0 == 200 })
            let terminated = try await database.read { db in
                try db.scalar(
                    "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?", name
                )
            } ?? 0
            #expect(terminated >= 2, "the pool's connections and the listener's")
            var failed = 0
            for _ in 0..<3 { failed += try await Self.reads(server.client).filter { $0 != 200 }.count }
            #expect(failed <= Int(terminated), "one failed request at most per dropped connection")
            #expect(try await Self.reads(server.client).allSatisfy { $0 == 200 }, "healed")
            var signUps: [Int] = []
            for _ in 0..<5 {
                let response = try await server.client.send("POST", "/v1/accounts", json: [
                    "email": .string("heal-\(UUID().uuidString.prefix(8))@example.com"),
                    "password": "correct horse battery", "display_name": "Heal",
                ])
                signUps.append(response.status)
            }
            #expect(signUps == Array(repeating: 201, count: 5))
        } catch {
            Issue.record(error)
        }
        database.close()
        node?.kill(SIGKILL)
        _ = await node?.waitForExit()
        TestServer.removeDatabase(at: path)
        await ServerGate.shared.release()
    }

    /// The statuses of 16 parallel product lists.
    static func reads(_ client: TestHTTPClient) async throws -> [Int] {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<16 { group.addTask { try await client.send("GET", "/v1/products?limit=1").status } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }
}
