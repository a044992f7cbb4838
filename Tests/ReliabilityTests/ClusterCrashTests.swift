import Core
import Foundation
import Storage
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 25: three `basar serve` processes on one PostgreSQL database under the crash tests' mixed load, spread
/// over all three; one of them is killed with SIGKILL at a random moment. Whatever any node acknowledged survives,
/// and money, stock and coupons add up (the same checks as `CrashSafetyTests`, by a fourth node afterwards).
@Suite("Kill -9 one node of three under a mixed load", .enabled(if: Database.testsUsePostgres, "needs PostgreSQL"))
struct ClusterCrashTests {
    @Test("SIGKILL one of three nodes: acknowledged work on every node is durable, money, stock and coupons add up")
    func killOneNode() async throws {
        await ServerGate.shared.acquire()
        let path = TestServer.temporaryDatabasePath()
        var nodes: [BasarProcess] = []
        do {
            for _ in 0..<3 { nodes.append(try await BasarProcess(databasePath: path)) }
            let shop = try await CrashShop.setUp(nodes[0])
            let ledger = CrashLedger(codes: shop.codes)
            try await CrashSafetyTests.refreshCoupons(shop, ledger, client: nodes[0].client)
            let load = CrashLoad(shop: shop, ledger: ledger, client: nodes[1].client, others: [nodes[0].client, nodes[2].client])
            let acknowledged = await load.run(killing: nodes[1])
            #expect(await nodes[1].waitForExit() == 128 + SIGKILL, "the node died of SIGKILL")
            #expect(acknowledged >= 10, "the load made progress before the kill")
            // The survivors still serve.
            for node in [nodes[0], nodes[2]] {
                #expect(try await node.client.send("GET", "/healthz").json["database"] == "postgresql")
            }
            try await CrashChecks(shop: shop, ledger: ledger, round: 1).verify()
            let statuses = ledger.statuses.withLock { $0 }
            #expect(statuses.filter { $0.key >= 500 }.isEmpty, "no 5xx under load: \(statuses)")
        } catch {
            Issue.record(error)
        }
        for node in nodes {
            node.kill(SIGKILL)
            _ = await node.waitForExit()
        }
        TestServer.removeDatabase(at: path)
        await ServerGate.shared.release()
    }
}
