import Core
import Foundation
import Testing
import TestSupport

@Suite("Wallet, top-ups, transfers and the ledger check (API.md §5)")
struct WalletTests {
    @Test("a new wallet holds 0; a sandbox top-up answers 201 with the wallet's transaction")
    func topUp() async throws {
        let shop = try await Shop.start()
        do {
            let (token, _) = try await shop.server.signUp()
            let wallet = try await shop.server.send("GET", "/v1/wallet", token: token)
            #expect(wallet.json == ["balance_cents": 0, "currency": .string(Money.currency)])
            let response = try await shop.topUp(2500, token: token)
            let t = response.json
            #expect(t.id.hasPrefix("txn_"))
            #expect(t["kind"] == "top_up")
            #expect(t["amount_cents"] == 2500)
            #expect(t["balance_after_cents"] == 2500)
            #expect(t["currency"] == .string(Money.currency))
            #expect(t["reference"] == .null)
            #expect(t["created_at"]?.stringValue?.hasSuffix("Z") == true)
            #expect(try await shop.balance(token) == 2500)
            #expect(try await shop.server.send("GET", "/v1/wallet").status == 401)
        } catch { Issue.record(error) }
        await shop.stop()
    }

    static let badTopUps: [JSON] = [
        ["amount_cents": 99, "method": "sandbox"], ["amount_cents": 100_001, "method": "sandbox"],
        ["amount_cents": 500, "method": "card"], ["amount_cents": 500], ["method": "sandbox"],
        ["amount_cents": 500, "method": "sandbox", "extra": true],
    ]

    @Test("top-up validation: amount 100–100000, a known method")
    func topUpValidation() async throws {
        let shop = try await Shop.start()
        do {
            let (token, _) = try await shop.server.signUp()
            for body in Self.badTopUps {
                let response = try await shop.server.send("POST", "/v1/wallet/top-ups", json: body, token: token)
                #expect(response.status == 400, "\(body.serializedString())")
                #expect(response.code == "invalid_request")
            }
            #expect(try await shop.balance(token) == 0)
        } catch { Issue.record(error) }
        await shop.stop()
    }

    @Test("transfers: 201 for the sender, transfer_in for the recipient; 404, 400, 402 as documented")
    func transfers() async throws {
        let shop = try await Shop.start()
        do {
            let alice = try await shop.buyer(funds: 1000)
            let bob = try await shop.buyer()
            let response = try await shop.server.send(
                "POST", "/v1/wallet/transfers", json: ["to_account_id": .string(bob.id), "amount_cents": 300, "note": "Rotes Päckchen"],
                token: alice.token
            )
            #expect(response.status == 201)
            #expect(response.json["kind"] == "transfer_out")
            #expect(response.json["amount_cents"] == -300)
            #expect(response.json["balance_after_cents"] == 700)
            #expect(response.json["reference"] == .string(bob.id))
            let bobs = try await shop.server.send("GET", "/v1/wallet/transactions", token: bob.token).json["data"]?.arrayValue ?? []
            #expect(bobs.count == 1)
            #expect(bobs.first?["kind"] == "transfer_in")
            #expect(bobs.first?["amount_cents"] == 300)
            #expect(bobs.first?["reference"] == .string(alice.id))
            #expect(bobs.first?.id == response.json.id)

            let unknown = try await shop.server.send(
                "POST", "/v1/wallet/transfers", json: ["to_account_id": "acct_nobody", "amount_cents": 1], token: alice.token
            )
            #expect(unknown.status == 404)
            let selfie = try await shop.server.send(
                "POST", "/v1/wallet/transfers", json: ["to_account_id": .string(alice.id), "amount_cents": 1], token: alice.token
            )
            #expect(selfie.status == 400)
            let broke = try await shop.server.send(
                "POST", "/v1/wallet/transfers", json: ["to_account_id": .string(bob.id), "amount_cents": 701], token: alice.token
            )
            #expect(broke.status == 402)
            #expect(broke.code == "insufficient_funds")
            for amount: JSON in [0, -5, "1"] {
                let bad = try await shop.server.send(
                    "POST", "/v1/wallet/transfers", json: ["to_account_id": .string(bob.id), "amount_cents": amount], token: alice.token
                )
                #expect(bad.status == 400)
            }
            #expect(try await shop.balance(alice.token) == 700)
            #expect(try await shop.balance(bob.token) == 300)
        } catch { Issue.record(error) }
        await shop.stop()
    }

    @Test("the statement lists every kind, signed, with the balance after, newest first, paged")
    func statement() async throws {
        let shop = try await Shop.start()
        do {
            let buyer = try await shop.buyer(funds: 5000)
            let friend = try await shop.buyer()
            let product = try await shop.product(price: 1000)
            let order = try await shop.order([(product, 2)], token: buyer.token).json
            let refund = try await shop.refund(order.id, [(product, 1)], token: buyer.token).json
            _ = try await shop.server.send(
                "POST", "/v1/wallet/transfers", json: ["to_account_id": .string(friend.id), "amount_cents": 500], token: buyer.token
            )
            var seen: [JSON] = []
            var cursor: String?
            for _ in 0..<10 {
                let path = "/v1/wallet/transactions?limit=1" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await shop.server.send("GET", path, token: buyer.token).json
                seen += page["data"]?.arrayValue ?? []
                cursor = page["next_cursor"]?.stringValue
                if cursor == nil { break }
            }
            #expect(Set(seen.map { $0["kind"]?.stringValue ?? "" }) == ["top_up", "payment", "refund", "transfer_out"])
            let payment = seen.first { $0["kind"] == "payment" }
            #expect(payment?["amount_cents"] == -2000)
            #expect(payment?["reference"] == .string(order.id))
            let refunded = seen.first { $0["kind"] == "refund" }
            #expect(refunded?["amount_cents"] == 1000)
            #expect(refunded?["reference"] == .string(refund.id))
            // Equal timestamps order by id (API.md §12), so check each movement's balance by kind.
            let after = Dictionary(uniqueKeysWithValues: seen.map { ($0["kind"]?.stringValue ?? "", $0["balance_after_cents"]?.intValue) })
            #expect(after == ["top_up": 5000, "payment": 3000, "refund": 4000, "transfer_out": 3500])
            #expect(seen.count == 4)
        } catch { Issue.record(error) }
        await shop.stop()
    }

    @Test("Idempotency-Key: a top-up and a transfer replay byte for byte and move money once")
    func idempotency() async throws {
        let shop = try await Shop.start()
        do {
            let (token, _) = try await shop.server.signUp()
            let friend = try await shop.buyer()
            let body: JSON = ["amount_cents": 1000, "method": "sandbox"]
            let first = try await shop.server.send("POST", "/v1/wallet/top-ups", json: body, token: token, headers: [("Idempotency-Key", "t1")])
            let again = try await shop.server.send("POST", "/v1/wallet/top-ups", json: body, token: token, headers: [("Idempotency-Key", "t1")])
            #expect(again.status == 201)
            #expect(again.body == first.body)
            #expect(again.header("Idempotent-Replayed") == "true")
            #expect(try await shop.balance(token) == 1000)
            let other = try await shop.server.send(
                "POST", "/v1/wallet/top-ups", json: ["amount_cents": 2000, "method": "sandbox"], token: token,
                headers: [("Idempotency-Key", "t1")]
            )
            #expect(other.status == 422)
            #expect(other.code == "idempotency_key_reused")
            let transfer: JSON = ["to_account_id": .string(friend.id), "amount_cents": 400]
            let t1 = try await shop.server.send("POST", "/v1/wallet/transfers", json: transfer, token: token, headers: [("Idempotency-Key", "x")])
            let t2 = try await shop.server.send("POST", "/v1/wallet/transfers", json: transfer, token: token, headers: [("Idempotency-Key", "x")])
            #expect(t1.status == 201)
            #expect(t2.body == t1.body)
            #expect(try await shop.balance(token) == 600)
            #expect(try await shop.balance(friend.token) == 400)
        } catch { Issue.record(error) }
        await shop.stop()
    }

    @Test("the ledger check is admin-only and reports every invariant")
    func ledgerCheck() async throws {
        let shop = try await Shop.start()
        do {
            let buyer = try await shop.buyer(funds: 3000)
            #expect(try await shop.server.send("GET", "/v1/admin/ledger/check", token: buyer.token).status == 403)
            #expect(try await shop.server.send("GET", "/v1/admin/ledger/check", token: shop.merchant).status == 403)
            let report = try await shop.ledger()
            #expect(report["balanced"] == true)
            #expect(report["sum_cents"] == 0)
            #expect(report["transactions"] == 1)
            #expect(report["accounts"] == 7)  // cash-in, cash-out, payable, escrow, revenue, marketing, one wallet
            #expect(report["negative_wallets"] == 0)
            // Tampering with a stored balance is detected.
            try await shop.server.database.write { db in
                try db.run("UPDATE ledger_accounts SET balance_cents = balance_cents + 1 WHERE id = ?", "wallet:\(buyer.id)")
            }
            #expect(try await shop.ledger()["balanced"] == false)
        } catch { Issue.record(error) }
        await shop.stop()
    }
}
