import Core
import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

@Suite("Crash safety of checkout")
struct CrashTests {
    @Test("SIGKILL during parallel checkouts: every acknowledged order survives, ledger and stock add up")
    func killMidway() async throws {
        await ServerGate.shared.acquire()
        do {
            try await killMidwayGated()
        } catch {
            await ServerGate.shared.release()
            throw error
        }
        await ServerGate.shared.release()
    }

    private func killMidwayGated() async throws {
        let path = TestServer.temporaryDatabasePath()
        defer { TestServer.removeDatabase(at: path) }
        let server = try await BasarProcess(databasePath: path)
        let client = server.client
        let startingStock: Int64 = 300
        var productID = ""
        var buyers: [String] = []
        do {
            let email = "crash-merchant-\(UUID().uuidString.prefix(8).lowercased())@example.com"
            let merchant = try await client.signUp(email: email).token
            try await BasarBinary.grant(email: email, role: "merchant", databasePath: path)
            let product = try await client.send("POST", "/v1/products", json: [
                "sku": "CRASH-1", "title": "Teekanne", "price_cents": 990, "stock": .int(startingStock), "category": "kueche",
            ], token: merchant)
            productID = try #require(product.json["id"]?.stringValue, "\(product.text)")
            for index in 0..<16 {
                let token = try await client.signUp(email: "crash-buyer-\(index)-\(UUID().uuidString.prefix(6).lowercased())@example.com").token
                let topUp = try await client.send("POST", "/v1/wallet/top-ups", json: ["amount_cents": 50_000, "method": "sandbox"], token: token)
                #expect(topUp.status == 201)
                buyers.append(token)
            }
        } catch {
            server.kill(SIGKILL)
            _ = await server.waitForExit()
            throw error
        }

        let acknowledged = Mutex<[String]>([])
        let killed = Mutex(false)
        let product = productID
        await withTaskGroup(of: Void.self) { group in
            for (index, token) in buyers.enumerated() {
                for round in 0..<6 {
                    group.addTask {
                        let quantity = Int64(1 + (index + round) % 3)
                        let body: JSON = ["items": [["product_id": .string(product), "quantity": .int(quantity)]]]
                        guard let response = try? await client.send("POST", "/v1/orders", json: body, token: token),
                              response.status == 201, let id = response.json["id"]?.stringValue
                        else { return }
                        let count = acknowledged.withLock { list in
                            list.append(id)
                            return list.count
                        }
                        // Kill after 20 acknowledged orders, while the other checkouts are still in flight.
                        if count >= 20, killed.withLock({ done in defer { done = true }; return !done }) {
                            server.kill(SIGKILL)
                        }
                    }
                }
            }
        }
        if !killed.withLock({ $0 }) { server.kill(SIGKILL) }
        #expect(await server.waitForExit() == 128 + SIGKILL)

        let restarted = try await TestServer(databasePath: path)
        do {
            let ids = acknowledged.withLock { $0 }
            #expect(ids.count >= 20)
            let found = try await restarted.database.read { db in
                try ids.filter { try db.scalar("SELECT COUNT(*) FROM orders WHERE id = ?", $0) == 1 }.count
            }
            #expect(found == ids.count, "every order acknowledged with 201 is in the database")
            let (admin, _) = try await restarted.signUp(roles: [.admin])
            let report = try await restarted.send("GET", "/v1/admin/ledger/check", token: admin).json
            #expect(report["balanced"] == true)
            #expect(report["negative_wallets"] == 0)
            let (stock, sold) = try await restarted.database.read { db in
                (
                    try db.scalar("SELECT stock FROM products WHERE id = ?", product) ?? -1,
                    try db.scalar("SELECT COALESCE(SUM(quantity), 0) FROM order_items WHERE product_id = ?", product) ?? -1
                )
            }
            #expect(stock + sold == startingStock)
            let paid = try await restarted.database.read { db in
                try db.scalar("SELECT COALESCE(SUM(total_cents), 0) FROM orders") ?? -1
            }
            let revenue = try await restarted.database.read { db in
                try db.scalar("SELECT balance_cents FROM ledger_accounts WHERE id = 'merchant:revenue'") ?? -1
            }
            #expect(paid == revenue, "every committed order was paid exactly once")
        } catch { Issue.record(error) }
        await restarted.stop(removeDatabase: false)
    }
}
