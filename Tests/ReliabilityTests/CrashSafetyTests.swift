import Core
import Foundation
import Storage
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 8, crash safety: rounds of mixed load against the real executable, each ended by SIGKILL at a random
/// moment, then a restart on the same database and every promise checked. `BASAR_CRASH_ROUNDS` sets the number of
/// rounds (3 by default; `bench/crash.sh` runs 20).
@Suite("Crash safety under a mixed load")
struct CrashSafetyTests {
    static var rounds: Int { ProcessInfo.processInfo.environment["BASAR_CRASH_ROUNDS"].flatMap(Int.init) ?? 3 }

    @Test("SIGKILL at a random moment: acknowledged work is durable, money, stock and coupons add up, replays replay")
    func rounds() async throws {
        await ServerGate.shared.acquire()
        let path = TestServer.temporaryDatabasePath()
        do {
            try await runRounds(path: path)
        } catch {
            Issue.record(error)
        }
        TestServer.removeDatabase(at: path)
        await ServerGate.shared.release()
    }

    private func runRounds(path: String) async throws {
        var server = try await BasarProcess(databasePath: path)
        let shop: CrashShop
        do {
            shop = try await CrashShop.setUp(server)
        } catch {
            server.kill(SIGKILL)
            _ = await server.waitForExit()
            throw error
        }
        let ledger = CrashLedger(codes: shop.codes)
        for round in 1...Self.rounds {
            if round > 1 { server = try await BasarProcess(databasePath: path) }
            try await Self.refreshCoupons(shop, ledger, client: server.client)
            let load = CrashLoad(shop: shop, ledger: ledger, client: server.client)
            let acknowledged = await load.run(killing: server)
            #expect(await server.waitForExit() == 128 + SIGKILL, "round \(round): the server died of SIGKILL")
            #expect(acknowledged >= 10, "round \(round): the load made progress before the kill")
            try await CrashChecks(shop: shop, ledger: ledger, round: round).verify()
        }
        let statuses = ledger.statuses.withLock { $0 }
        let total = statuses.values.reduce(0, +)
        let serverErrors = statuses.filter { $0.key >= 500 }.values.reduce(0, +)
        #expect(serverErrors == 0, "no 5xx under load: \(statuses)")
        let kinds = Dictionary(grouping: ledger.acknowledged.withLock { $0 }, by: \.kind.rawValue).mapValues(\.count)
        #expect(CrashLedger.Kind.allCases.allSatisfy { kinds[$0.rawValue, default: 0] > 0 }, "every kind of request was acknowledged: \(kinds)")
        let line = "crash: \(Self.rounds) rounds survived, \(total) answered requests, \(kinds.sorted { $0.key < $1.key }), "
            + "\(ledger.acknowledged.withLock { $0.count }) acknowledged with 201, statuses \(statuses.sorted { $0.key < $1.key })"
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// The buyers' unused coupons, as the server sees them (a round may have died between redeeming and answering).
    static func refreshCoupons(_ shop: CrashShop, _ ledger: CrashLedger, client: TestHTTPClient) async throws {
        for (index, buyer) in shop.buyers.enumerated() {
            let list = try await client.send("GET", "/v1/coupons?limit=100", token: buyer.token)
            let available = list.json["data"]?.arrayValue?.filter { $0["status"] == "available" }.compactMap { $0["id"]?.stringValue } ?? []
            ledger.coupons.withLock { $0[index] = available }
        }
    }
}

/// The checks after a restart: run in-process on the same database (a second, independent restart).
struct CrashChecks {
    let shop: CrashShop
    let ledger: CrashLedger
    let round: Int

    func verify() async throws {
        let server = try await TestServer(databasePath: shop.databasePath)
        do {
            try await durability(server)
            try await money(server)
            try await stock(server)
            try await coupons(server)
            try await replays(server)
            try await events(server)
            try await batchConsumers(server)
            let check = try await BasarBinary.execute(["check", "--json", "--db", shop.databasePath])
            #expect(check.code == 0, "round \(round): basar check --json: \(check.stdout) \(check.stderr)")
        } catch {
            Issue.record(error, "round \(round)")
        }
        await server.stop(removeDatabase: false)
    }

    /// Every id answered with 201, in every round so far, is in its table.
    private func durability(_ server: TestServer) async throws {
        let acknowledged = ledger.acknowledged.withLock { $0 }
        let missing = try await server.database.read { db in
            try acknowledged.filter { try db.scalar("SELECT COUNT(*) FROM \($0.kind.table) WHERE id = ?", $0.id) != 1 }
        }
        #expect(missing.isEmpty, "round \(round): acknowledged but lost: \(missing.prefix(10))")
    }

    private func money(_ server: TestServer) async throws {
        let report = try await server.send("GET", "/v1/admin/ledger/check", token: shop.opsToken).json
        #expect(report["balanced"] == true, "round \(round): \(report)")
        #expect(report["sum_cents"] == 0, "round \(round): \(report)")
        #expect(report["negative_wallets"] == 0, "round \(round): \(report)")
        let negative = try await server.database.read { db in
            try db.scalar("SELECT COUNT(*) FROM ledger_accounts WHERE kind = 'wallet' AND balance_cents < 0") ?? -1
        }
        #expect(negative == 0, "round \(round): no wallet below zero")
    }

    /// stock + units sold and not refunded + unsold flash units of active pins = units ever stocked; a pin's `sold`
    /// equals its flash units in orders.
    private func stock(_ server: TestServer) async throws {
        for (product, stocked) in shop.stocked {
            let (stock, sold, held) = try await server.database.read { db in
                (
                    try db.scalar("SELECT stock FROM products WHERE id = ?", product) ?? -1,
                    try db.scalar("SELECT COALESCE(SUM(quantity - refunded_quantity), 0) FROM order_items WHERE product_id = ?", product) ?? -1,
                    try db.scalar(
                        "SELECT COALESCE(SUM(flash_quantity - sold), 0) FROM live_pins WHERE product_id = ? AND ended_at IS NULL AND flash_quantity IS NOT NULL",
                        product
                    ) ?? -1
                )
            }
            #expect(stock >= 0 && stock + sold + held == stocked, "round \(round): \(product) stock \(stock) + sold \(sold) + held \(held) ≠ \(stocked)")
        }
        let pin = shop.pinID
        let (pinSold, flashUnits) = try await server.database.read { db in
            (
                try db.scalar("SELECT sold FROM live_pins WHERE id = ?", pin) ?? -1,
                try db.scalar(
                    "SELECT COALESCE(SUM(i.quantity), 0) FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.pin_id = ? AND i.flash = 1",
                    pin
                ) ?? -1
            )
        }
        #expect(flashUnits > 0, "round \(round): flash purchases happened")
        #expect(pinSold == flashUnits, "round \(round): the pin sold \(pinSold) but orders hold \(flashUnits) flash units")
    }

    private func coupons(_ server: TestServer) async throws {
        let (twice, mismatched, overBudget, overLimit, redeemed) = try await server.database.read { db in
            (
                try db.scalar("SELECT COUNT(*) FROM (SELECT coupon_id FROM orders WHERE coupon_id IS NOT NULL GROUP BY coupon_id HAVING COUNT(*) > 1) AS twice") ?? -1,
                try db.scalar(
                    """
                    SELECT COUNT(*) FROM orders o LEFT JOIN coupons k ON k.id = o.coupon_id
                    WHERE o.coupon_id IS NOT NULL AND (k.redeemed_order_id IS NULL OR k.redeemed_order_id <> o.id)
                    """
                ) ?? -1,
                try db.scalar("SELECT COUNT(*) FROM campaigns c WHERE (SELECT COUNT(*) FROM coupons k WHERE k.campaign_id = c.id) > c.max_coupons") ?? -1,
                try db.scalar(
                    """
                    SELECT COUNT(*) FROM (SELECT campaign_id, account_id, COUNT(*) AS n FROM coupons GROUP BY campaign_id, account_id) x
                    JOIN campaigns c ON c.id = x.campaign_id WHERE x.n > c.per_account_limit
                    """
                ) ?? -1,
                try db.scalar("SELECT COUNT(*) FROM orders WHERE coupon_id IS NOT NULL") ?? -1
            )
        }
        #expect(redeemed > 0, "round \(round): checkouts with coupons happened")
        #expect(twice == 0, "round \(round): no coupon paid for two orders")
        #expect(mismatched == 0, "round \(round): every order's coupon names that order as redeemed")
        #expect(overBudget == 0, "round \(round): no campaign issued over max_coupons")
        #expect(overLimit == 0, "round \(round): no account holds more than per_account_limit of a campaign")
    }

    /// No event lost, none handled twice: every paid order has its `order.paid` event, and once the dispatcher caught
    /// up, the order-activity consumer counted each exactly once.
    private func events(_ server: TestServer) async throws {
        await server.app.dispatcher.catchUp()
        let (orders, paidEvents, counted, behind) = try await server.database.read { db in
            (
                try db.scalar("SELECT COUNT(*) FROM orders") ?? -1,
                try db.scalar("SELECT COUNT(*) FROM domain_events WHERE name = 'order.paid'") ?? -1,
                try db.scalar("SELECT COALESCE(SUM(orders), 0) FROM order_activity") ?? -1,
                try db.scalar(
                    """
                    SELECT COUNT(*) FROM (SELECT account_id, COUNT(*) AS n FROM orders GROUP BY account_id) o
                    LEFT JOIN order_activity a ON a.account_id = o.account_id WHERE COALESCE(a.orders, 0) <> o.n
                    """
                ) ?? -1
            )
        }
        #expect(orders > 0, "round \(round): orders were placed")
        #expect(paidEvents == orders, "round \(round): \(orders) orders but \(paidEvents) order.paid events")
        #expect(counted == orders, "round \(round): the consumer counted \(counted) of \(orders) orders")
        #expect(behind == 0, "round \(round): \(behind) accounts counted wrong")
    }

    /// The batch consumers, across the same kills: the inbox consumer sent exactly one `order_placed` item (and one
    /// send-log row) per order, and the recommendations consumer's counts equal a rebuild from the orders.
    /// Runs after ``events(_:)``, whose catch-up brought every consumer to the end of the log.
    private func batchConsumers(_ server: TestServer) async throws {
        let (orders, items, distinctItems, logged) = try await server.database.read { db in
            (
                try db.scalar("SELECT COUNT(*) FROM orders") ?? -1,
                try db.scalar("SELECT COUNT(*) FROM inbox_items WHERE rule = 'order_placed'") ?? -1,
                // An item's data is {"order_id": …}: one distinct value per order.
                try db.scalar("SELECT COUNT(DISTINCT data) FROM inbox_items WHERE rule = 'order_placed'") ?? -1,
                try db.scalar("SELECT COUNT(*) FROM send_log WHERE rule = 'order_placed'") ?? -1
            )
        }
        #expect(items == orders && distinctItems == orders, "round \(round): \(orders) orders, \(items) order items for \(distinctItems) orders")
        #expect(logged == orders, "round \(round): \(orders) orders but \(logged) send-log rows")

        // Sales days are fixed by each order's time; the recent-sales window moves with the clock, so it is left out.
        func counts() async throws -> [String] {
            try await server.database.read { db in
                try db.query("SELECT product_id, orders FROM co_purchase_counts ORDER BY product_id").map { "c \($0.string("product_id")) \($0.int64("orders"))" }
                    + db.query("SELECT product_id, other_id, together FROM co_purchase_pairs ORDER BY 1, 2").map {
                        "p \($0.string("product_id")) \($0.string("other_id")) \($0.int64("together"))"
                    }
                    + db.query("SELECT day, product_id, units FROM product_sales_days ORDER BY 1, 2").map {
                        "d \($0.int64("day")) \($0.string("product_id")) \($0.int64("units"))"
                    }
            }
        }
        let kept = try await counts()
        #expect(!kept.isEmpty, "round \(round): the recommendations consumer counted the orders")
        let rebuilt = try await server.send("POST", "/v1/admin/recommendations/rebuild", token: shop.opsToken)
        #expect(rebuilt.status == 200, "round \(round): \(rebuilt.text)")
        let fromOrders = try await counts()
        #expect(kept == fromOrders, "round \(round): the consumer's counts differ from a rebuild: \(Set(kept).symmetricDifference(fromOrders).sorted().prefix(10))")
    }

    /// A few acknowledged keyed requests, from any round, sent again: the same status and bytes, marked replayed.
    private func replays(_ server: TestServer) async throws {
        let sample = ledger.keyed.withLock { Array($0.shuffled().prefix(6)) }
        for answer in sample {
            let again = try await server.send("POST", answer.path, json: answer.body, token: answer.token, headers: [("Idempotency-Key", answer.key)])
            #expect(again.status == answer.status, "round \(round): replay of \(answer.path): \(again.text)")
            #expect(again.body == answer.bytes, "round \(round): replay of \(answer.path) is byte for byte")
            #expect(again.header("Idempotent-Replayed") == "true", "round \(round): replay of \(answer.path) is marked")
        }
    }
}
