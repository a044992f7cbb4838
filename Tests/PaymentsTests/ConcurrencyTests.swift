import Core
import Foundation
import Testing
import TestSupport

@Suite("Checkout under real concurrency")
struct ConcurrencyTests {
    @Test("40 buyers racing for 10 units sell exactly 10")
    func race() async throws {
        let shop = try await Shop.startServer()
        do {
            let p = try await shop.product(price: 500, stock: 10)
            var buyers: [(token: String, id: String)] = []
            for _ in 0..<40 { buyers.append(try await shop.buyer(funds: 1000)) }
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for buyer in buyers {
                    group.addTask { try await shop.order([(p, 1)], token: buyer.token).status }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 10)
            #expect(statuses.filter { $0 == 409 }.count == 30)
            #expect(try await shop.stock(p) == 0)
            let sold = try await shop.server.database.read { db in
                try db.scalar("SELECT COALESCE(SUM(quantity), 0) FROM order_items WHERE product_id = ?", p)
            }
            #expect(sold == 10)
            #expect(try await shop.ledger()["balanced"] == true)
        } catch { Issue.record(error) }
        await shop.stop()
    }

    @Test("20 parallel checkouts with money for 5 get exactly 5, never a negative balance")
    func overspend() async throws {
        let shop = try await Shop.startServer()
        do {
            let p = try await shop.product(price: 1000, stock: 100)
            let buyer = try await shop.buyer(funds: 5000)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<20 {
                    group.addTask { try await shop.order([(p, 1)], token: buyer.token).status }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 5)
            #expect(statuses.filter { $0 == 402 }.count == 15)
            #expect(try await shop.balance(buyer.token) == 0)
            #expect(try await shop.stock(p) == 95)
            let report = try await shop.ledger()
            #expect(report["negative_wallets"] == 0)
            #expect(report["balanced"] == true)
        } catch { Issue.record(error) }
        await shop.stop()
    }

    @Test("a random mix of top-ups, checkouts, refunds and transfers keeps the ledger balanced")
    func randomMix() async throws {
        let shop = try await Shop.startServer()
        do {
            let products = [
                try await shop.product(price: 199, stock: 60), try await shop.product(price: 1250, stock: 40),
                try await shop.product(price: 333, stock: 80),
            ]
            var accounts: [(token: String, id: String)] = []
            for _ in 0..<8 { accounts.append(try await shop.buyer(funds: 3000)) }
            var coupons: [String: [String]] = [:]
            for account in accounts {
                coupons[account.id] = [
                    try await shop.coupon(for: account.id, percent: 10), try await shop.coupon(for: account.id, fixed: 77),
                ]
            }
            let orderIDs = OrderLog()
            let frozenAccounts = accounts
            let frozenCoupons = coupons
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<12 {
                    group.addTask {
                        var random = SeededGenerator(seed: UInt64(task * 7919 + 1))
                        for _ in 0..<15 {
                            let me = frozenAccounts[Int(random.next() % UInt64(frozenAccounts.count))]
                            switch random.next() % 4 {
                            case 0:
                                _ = try await shop.server.send(
                                    "POST", "/v1/wallet/top-ups",
                                    json: ["amount_cents": .int(Int64(100 + random.next() % 2000)), "method": "sandbox"],
                                    token: me.token
                                )
                            case 1:
                                let product = products[Int(random.next() % 3)]
                                let coupon = random.next() % 3 == 0 ? frozenCoupons[me.id]?.randomElement() : nil
                                let response = try await shop.order(
                                    [(product, Int64(1 + random.next() % 3))], token: me.token, coupon: coupon
                                )
                                if response.status == 201 { orderIDs.add(response.json.id, me.token, product) }
                            case 2:
                                if let (order, token, product) = orderIDs.random(&random) {
                                    let whole = random.next() % 2 == 0
                                    let lines: [(String, Int64)]? = whole ? nil : [(product, Int64(1))]
                                    _ = try await shop.refund(order, lines, token: token)
                                }
                            default:
                                let friend = frozenAccounts[Int(random.next() % UInt64(frozenAccounts.count))]
                                _ = try await shop.server.send(
                                    "POST", "/v1/wallet/transfers",
                                    json: ["to_account_id": .string(friend.id), "amount_cents": .int(Int64(1 + random.next() % 1500))],
                                    token: me.token
                                )
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let report = try await shop.ledger()
            #expect(report["balanced"] == true)
            #expect(report["sum_cents"] == 0)
            #expect(report["negative_wallets"] == 0)
            #expect(report["balance_mismatches"] == 0)
            #expect(report["unbalanced_transactions"] == 0)
            for account in accounts {
                let balance = try await shop.balance(account.token)
                #expect(balance >= 0)
                #expect(balance == (try await shop.entrySum(of: account.id)))
            }
            // Stock: what is left plus what is sold and not refunded is what there was.
            let starting: [String: Int64] = [products[0]: 60, products[1]: 40, products[2]: 80]
            for product in products {
                let net = try await shop.server.database.read { db in
                    try db.scalar(
                        "SELECT COALESCE(SUM(quantity - refunded_quantity), 0) FROM order_items WHERE product_id = ?", product
                    ) ?? 0
                }
                let left = try await shop.stock(product)
                #expect(left + net == starting[product])
            }
            #expect(orderIDs.count > 0)
        } catch { Issue.record(error) }
        await shop.stop()
    }
}

/// Orders placed by the random-mix tasks, shared between them.
final class OrderLog: Sendable {
    private let entries = Mutex<[(String, String, String)]>([])

    func add(_ order: String, _ token: String, _ product: String) { entries.withLock { $0.append((order, token, product)) } }

    func random(_ generator: inout SeededGenerator) -> (String, String, String)? {
        let all = entries.withLock { $0 }
        guard !all.isEmpty else { return nil }
        return all[Int(generator.next() % UInt64(all.count))]
    }

    var count: Int { entries.withLock { $0.count } }
}
