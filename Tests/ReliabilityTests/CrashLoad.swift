import Core
import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A keyed request that was answered, kept to be sent again after the restart.
struct KeyedAnswer: Sendable {
    var token: String
    var path: String
    var body: JSON
    var key: String
    var status: Int
    var bytes: [UInt8]
}

/// What every round has seen acknowledged so far; grows over the rounds, and every check covers all of it.
final class CrashLedger: Sendable {
    enum Kind: String, Sendable, CaseIterable {
        case order, refund, topUp, transfer, play, claim

        /// The table that must hold an acknowledged id of this kind.
        var table: String {
            switch self {
            case .order: "orders"
            case .refund: "refunds"
            case .topUp, .transfer: "ledger_transactions"
            case .play: "game_plays"
            case .claim: "coupons"
            }
        }
    }

    let acknowledged = Mutex<[(kind: Kind, id: String)]>([])
    let keyed = Mutex<[KeyedAnswer]>([])
    /// Each buyer's acknowledged orders: (order id, product id).
    let orders = Mutex<[Int: [(String, String)]]>([:])
    /// Each buyer's coupons believed unused; refreshed from `GET /v1/coupons` before each round.
    let coupons = Mutex<[Int: [String]]>([:])
    let codes: Mutex<[String]>
    /// Answers by status over all rounds, for the report.
    let statuses = Mutex<[Int: Int]>([:])

    init(codes: [String]) { self.codes = Mutex(codes) }
}

/// One round's mixed load: many tasks act as the shop's buyers until the watcher kills the server.
struct CrashLoad: Sendable {
    let shop: CrashShop
    let ledger: CrashLedger
    let client: TestHTTPClient
    /// More nodes of a cluster: buyer i sends to `([client] + others)[i % count]`.
    var others: [TestHTTPClient] = []
    let killed = Mutex(false)
    let roundAcks = Mutex(0)

    static let tasks = 24

    /// Runs the load and SIGKILLs `server` at a random moment: after a random 0.2–1.5 s once at least 10 requests
    /// were acknowledged in this round (bounded at 30 s).
    /// - Returns: how many requests were acknowledged with 201 in this round.
    func run(killing server: BasarProcess) async -> Int {
        let delay = Double.random(in: 0.2...1.5)
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<Self.tasks {
                group.addTask { await worker(buyer: task % shop.buyers.count) }
            }
            group.addTask {
                let started = Date()
                while true {
                    let elapsed = Date().timeIntervalSince(started)
                    // Every kind acknowledged at least once before a kill, so the suite's coverage check never
                    // depends on a slow machine's luck (on PostgreSQL under the whole suite, a round may see few).
                    let kinds = Set(ledger.acknowledged.withLock { $0.map(\.kind) })
                    let covered = kinds.count == CrashLedger.Kind.allCases.count
                    if (elapsed >= delay && roundAcks.withLock { $0 } >= 10 && covered) || elapsed > 30 { break }
                    try? await Task.sleep(for: .milliseconds(5))
                }
                killed.withLock { $0 = true }
                server.kill(SIGKILL)
            }
        }
        return roundAcks.withLock { $0 }
    }

    private func worker(buyer: Int) async {
        while !killed.withLock({ $0 }) {
            do {
                try await step(buyer: buyer)
            } catch {
                // The server is gone (or the request died with it); anything unanswered was never acknowledged.
                if killed.withLock({ $0 }) { return }
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
    }

    private func step(buyer: Int) async throws {
        let roll = Int.random(in: 0..<100)
        let keyed = Bool.random()
        switch roll {
        case 0..<18:
            _ = try await post(buyer, "/v1/wallet/top-ups", ["amount_cents": .int(Int64.random(in: 1000...5000)), "method": "sandbox"], keyed, .topUp)
        case 18..<40:
            var members: [(String, JSON)] = [
                ("items", [["product_id": .string(shop.productID), "quantity": .int(Int64.random(in: 1...3))]]),
            ]
            if Bool.random(), let coupon = ledger.coupons.withLock({ $0[buyer]?.popLast() }) {
                members.append(("coupon_id", .string(coupon)))
            }
            try await checkout(buyer, .object(members), keyed, product: shop.productID)
        case 40..<58:
            let body: JSON = [
                "items": [["product_id": .string(shop.flashProductID), "quantity": .int(Int64.random(in: 1...2))]],
                "live_session_id": .string(shop.sessionID), "pin_id": .string(shop.pinID),
            ]
            try await checkout(buyer, body, keyed, product: shop.flashProductID)
        case 58..<70:
            guard let (order, product) = ledger.orders.withLock({ $0[buyer]?.randomElement() }) else { return }
            let body: JSON = Bool.random()
                ? ["items": [["product_id": .string(product), "quantity": 1]], "reason": "crash test"]
                : ["reason": "crash test, everything"]
            _ = try await post(buyer, "/v1/orders/\(order)/refunds", body, keyed, .refund)
        case 70..<82:
            let other = shop.buyers[(buyer + Int.random(in: 1..<shop.buyers.count)) % shop.buyers.count]
            _ = try await post(buyer, "/v1/wallet/transfers", [
                "to_account_id": .string(other.accountID), "amount_cents": .int(Int64.random(in: 100...500)), "note": "crash",
            ], keyed, .transfer)
        case 82..<91:
            // Plays always carry a key: a replay must never draw twice.
            let answer = try await post(buyer, "/v1/games/game_wheel/plays", ["client_seed": .string("seed-\(Int.random(in: 0..<1_000_000))")], true, .play)
            if answer.status == 201, let coupon = answer.json["outcome"]?["coupon"]?["id"]?.stringValue {
                ledger.coupons.withLock { $0[buyer, default: []].append(coupon) }
            }
        default:
            guard let code = ledger.codes.withLock({ $0.popLast() }) else { return }
            let answer = try await post(buyer, "/v1/coupons/claim", ["code": .string(code)], keyed, .claim)
            if answer.status == 201, let coupon = answer.json["id"]?.stringValue {
                ledger.coupons.withLock { $0[buyer, default: []].append(coupon) }
            }
        }
    }

    private func checkout(_ buyer: Int, _ body: JSON, _ keyed: Bool, product: String) async throws {
        let answer = try await post(buyer, "/v1/orders", body, keyed, .order)
        if answer.status == 201, let id = answer.json["id"]?.stringValue {
            ledger.orders.withLock { $0[buyer, default: []].append((id, product)) }
        }
    }

    /// Sends one POST as `buyer`, with a fresh Idempotency-Key when `keyed`, and records a 201 as acknowledged.
    private func post(_ buyer: Int, _ path: String, _ body: JSON, _ keyed: Bool, _ kind: CrashLedger.Kind) async throws -> TestResponse {
        let token = shop.buyers[buyer].token
        let key = keyed ? "crash-\(UUID().uuidString)" : nil
        let nodes = [client] + others
        let answer = try await nodes[buyer % nodes.count].send(
            "POST", path, json: body, token: token, headers: key.map { [("Idempotency-Key", $0)] } ?? []
        )
        ledger.statuses.withLock { $0[answer.status, default: 0] += 1 }
        guard answer.status == 201, let id = answer.json["id"]?.stringValue else { return answer }
        ledger.acknowledged.withLock { $0.append((kind, id)) }
        if let key {
            ledger.keyed.withLock {
                $0.append(KeyedAnswer(token: token, path: path, body: body, key: key, status: answer.status, bytes: answer.body))
            }
        }
        roundAcks.withLock { $0 += 1 }
        return answer
    }
}
