import Core
import Foundation
import Testing
import TestSupport

@Suite("Refunds (API.md §6, §12)")
struct RefundTests {
    @Test("a partial refund by items, then the rest without items; stock and wallet return; status follows")
    func partialThenRest() async throws {
        let shop = try await Shop.start()
        do {
            let buyer = try await shop.buyer(funds: 10_000)
            let a = try await shop.product(price: 1000, stock: 10)
            let b = try await shop.product(price: 250, stock: 10)
            let order = try await shop.order([(a, 3), (b, 2)], token: buyer.token).json
            let first = try await shop.refund(order.id, [(a, 1)], token: buyer.token)
            #expect(first.status == 201)
            let r = first.json
            #expect(r.id.hasPrefix("rfd_"))
            #expect(r["order_id"] == .string(order.id))
            #expect(r["amount_cents"] == 1000)
            #expect(r["currency"] == .string(Money.currency))
            #expect(r["items"]?.arrayValue?.first?["product_id"] == .string(a))
            #expect(r["items"]?.arrayValue?.first?["quantity"] == 1)
            #expect(r["created_at"] != nil)
            var read = try await shop.server.send("GET", "/v1/orders/\(order.id)", token: buyer.token).json
            #expect(read["status"] == "partially_refunded")
            #expect(read["refunded_cents"] == 1000)
            #expect(read["items"]?.arrayValue?.first?["refunded_quantity"] == 1)
            #expect(try await shop.stock(a) == 8)

            let rest = try await shop.refund(order.id, token: buyer.token)
            #expect(rest.status == 201)
            #expect(rest.json["amount_cents"] == 2500)
            read = try await shop.server.send("GET", "/v1/orders/\(order.id)", token: buyer.token).json
            #expect(read["status"] == "refunded")
            #expect(read["refunded_cents"] == read["total_cents"])
            #expect(try await shop.stock(a) == 10)
            #expect(try await shop.stock(b) == 10)
            #expect(try await shop.balance(buyer.token) == 10_000)

            let again = try await shop.refund(order.id, token: buyer.token)
            #expect(again.status == 409)
            #expect(again.code == "already_refunded")
            #expect(try await shop.ledger()["balanced"] == true)
        } catch { Issue.record(error) }
        await shop.stop()
    }

    @Test("more than bought or than left is 409 already_refunded; a product not in the order is 400")
    func tooMany() async throws {
        let shop = try await Shop.start()
        do {
            let buyer = try await shop.buyer(funds: 10_000)
            let a = try await shop.product(price: 100)
            let other = try await shop.product(price: 100)
            let order = try await shop.order([(a, 2)], token: buyer.token).json
            let more = try await shop.refund(order.id, [(a, 3)], token: buyer.token)
            #expect(more.status == 409)
            #expect(more.code == "already_refunded")
            #expect(more.firstErrorField == "items[0].quantity")
            #expect(try await shop.refund(order.id, [(a, 2)], token: buyer.token).status == 201)
            #expect(try await shop.refund(order.id, [(a, 1)], token: buyer.token).code == "already_refunded")
            let notInOrder = try await shop.refund(order.id, [(other, 1)], token: buyer.token)
            #expect(notInOrder.status == 400)
            for body: JSON in [
                [:], ["reason": ""], ["reason": "x", "items": []], ["reason": "x", "items": [["product_id": .string(a), "quantity": 0]]],
                ["reason": "x", "amount_cents": 5],
            ] {
                let response = try await shop.server.send("POST", "/v1/orders/\(order.id)/refunds", json: body, token: buyer.token)
                #expect(response.status == 400, "\(body.serializedString())")
            }
            #expect(try await shop.refund("ord_missing", token: buyer.token).status == 404)
        } catch { Issue.record(error) }
        await shop.stop()
    }

    @Test("order, ledger and refund ids begin with the injected clock's millisecond, so they sort by creation")
    func idsCarryTheClock() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000.123))
        let shop = try await Shop.start(clock: clock)
        do {
            let buyer = try await shop.buyer(funds: 10_000)
            let p = try await shop.product(price: 100)
            // What a generator on the same clock makes now: its first 7 characters after the prefix are the time.
            func stamp(_ prefix: String) -> Substring {
                IDGenerator.timeOrdered(clock: clock, appended: [prefix]).next(prefix).prefix(prefix.count + 8)
            }
            let early = try await shop.order([(p, 1)], token: buyer.token).json
            let earlyStamp = stamp("ord")
            clock.advance(by: 3600)
            let late = try await shop.order([(p, 1)], token: buyer.token).json
            #expect(early.id.hasPrefix(earlyStamp), "\(early.id) vs \(earlyStamp)")
            #expect(late.id.hasPrefix(stamp("ord")))
            #expect(early.id < late.id)
            let refund = try await shop.refund(late.id, [(p, 1)], token: shop.merchant)
            #expect(refund.json.id.hasPrefix(stamp("rfd")), "\(refund.text)")
        } catch { Issue.record(error) }
        await shop.stop()
    }

    @Test("buyers refund within 14 × 24 h of delivery (then 422 refund_window_closed); merchants and admins any time")
    func window() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let shop = try await Shop.start(clock: clock)
        do {
            let buyer = try await shop.buyer(funds: 10_000)
            let p = try await shop.product(price: 100)
            let order = try await shop.order([(p, 4)], token: buyer.token).json
            // The window runs from delivery (API.md §15), so a week in the post does not count.
            clock.advance(by: 7 * 86400)
            let shipment = try await shop.server.send("POST", "/v1/orders/\(order.id)/shipments", json: [
                "carrier": "DHL", "tracking_number": "1", "promised_delivery_date": "2099-01-01",
            ], token: shop.merchant)
            #expect(try await shop.server.send("POST", "/v1/shipments/\(shipment.json.id)/delivered", token: shop.merchant).status == 200)
            clock.advance(by: 14 * 86400)
            #expect(try await shop.refund(order.id, [(p, 1)], token: buyer.token).status == 201)
            clock.advance(by: 1)
            let late = try await shop.refund(order.id, [(p, 1)], token: buyer.token)
            #expect(late.status == 422)
            #expect(late.code == "refund_window_closed")
            #expect(try await shop.refund(order.id, [(p, 1)], token: shop.merchant).status == 201)
            #expect(try await shop.refund(order.id, [(p, 1)], token: shop.admin).status == 201)
            #expect(try await shop.balance(buyer.token) == 10_000 - 100)
        } catch { Issue.record(error) }
        await shop.stop()
    }

    @Test("refund shares: three units with an uneven discount refund exactly the total, one by one")
    func largestRemainder() async throws {
        let shop = try await Shop.start()
        do {
            let buyer = try await shop.buyer(funds: 10_000)
            let p = try await shop.product(price: 333)
            let coupon = try await shop.coupon(for: buyer.id, fixed: 100)
            let order = try await shop.order([(p, 3)], token: buyer.token, coupon: coupon).json
            #expect(order["total_cents"] == 899)
            var amounts: [Int64] = []
            for _ in 0..<3 {
                amounts.append(try await shop.refund(order.id, [(p, 1)], token: buyer.token).json["amount_cents"]?.intValue ?? 0)
            }
            #expect(amounts.reduce(0, +) == 899)
            #expect(amounts.sorted() == [299, 300, 300])
            let read = try await shop.server.send("GET", "/v1/orders/\(order.id)", token: buyer.token).json
            #expect(read["refunded_cents"] == 899)
            #expect(read["status"] == "refunded")
            #expect(try await shop.balance(buyer.token) == 10_000)
            // The coupon stays used.
            #expect(try await shop.order([(p, 1)], token: buyer.token, coupon: coupon).json["reason"] == "already_redeemed")
            let report = try await shop.ledger()
            #expect(report["balanced"] == true)
            let nonWallet = try await shop.server.database.read { db in
                try db.query("SELECT id, balance_cents FROM ledger_accounts WHERE kind IN ('merchant', 'marketing')")
                    .map { $0.int64("balance_cents") }
            }
            #expect(nonWallet.allSatisfy { $0 == 0 }, "a full refund reverses revenue and marketing spend exactly")
        } catch { Issue.record(error) }
        await shop.stop()
    }

    @Test("mixed lines with a percent discount: any refund order adds up to the total")
    func mixedShares() async throws {
        let shop = try await Shop.start()
        do {
            for seed in 0..<3 {
                let buyer = try await shop.buyer(funds: 100_000)
                let a = try await shop.product(price: 1999)
                let b = try await shop.product(price: 349)
                let c = try await shop.product(price: 7)
                let coupon = try await shop.coupon(for: buyer.id, percent: 13)
                let order = try await shop.order([(a, 3), (b, 5), (c, 7)], token: buyer.token, coupon: coupon).json
                let total = order["total_cents"]?.intValue ?? -1
                var units = Array(repeating: a, count: 3) + Array(repeating: b, count: 5) + Array(repeating: c, count: 7)
                var generator = SeededGenerator(seed: UInt64(seed + 1))
                units.shuffle(using: &generator)
                var refunded: Int64 = 0
                var index = 0
                while index < units.count {
                    let product = units[index]
                    var count: Int64 = 1
                    while index + Int(count) < units.count, units[index + Int(count)] == product, count < 2 { count += 1 }
                    let response = try await shop.refund(order.id, [(product, count)], token: buyer.token)
                    #expect(response.status == 201)
                    refunded += response.json["amount_cents"]?.intValue ?? 0
                    index += Int(count)
            }
            #expect(refunded == total)
            #expect(try await shop.balance(buyer.token) == 100_000)
            #expect(try await shop.ledger()["balanced"] == true)
            }
        } catch { Issue.record(error) }
        await shop.stop()
    }

    @Test("Idempotency-Key on refunds: replayed, refunded once")
    func idempotentRefund() async throws {
        let shop = try await Shop.start()
        do {
            let buyer = try await shop.buyer(funds: 1000)
            let p = try await shop.product(price: 100)
            let order = try await shop.order([(p, 3)], token: buyer.token).json
            let first = try await shop.refund(order.id, [(p, 1)], token: buyer.token, key: "r1")
            let second = try await shop.refund(order.id, [(p, 1)], token: buyer.token, key: "r1")
            #expect(first.status == 201)
            #expect(second.body == first.body)
            #expect(second.header("Idempotent-Replayed") == "true")
            #expect(try await shop.balance(buyer.token) == 800)
        } catch { Issue.record(error) }
        await shop.stop()
    }
}

/// A small deterministic generator (SplitMix64) so shuffles repeat.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
