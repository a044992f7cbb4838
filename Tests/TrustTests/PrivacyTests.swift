import Core
import Foundation
import Testing
import TestSupport

@Suite("Data export and erasure")
struct PrivacyTests {
    static let exportKeys: Set<String> = [
        "format", "generated_at", "account", "addresses", "consents", "orders", "refunds", "shipments",
        "wallet_transactions", "coupons", "game_plays", "live_messages", "inbox", "conversations", "survey_responses",
        "following", "communities", "teams", "red_packets", "shares", "community_messages", "bids",
        "notification_settings", "experiment_exposures",
    ]

    @Test("the export is one document with every key, holding the account's own objects")
    func export() async throws {
        try await TrustWorld.with { w in
            let buyer = try await w.buyer()
            let product = try await w.product()
            let order = try await w.order(product, token: buyer.token)
            let address = try await w.server.send("POST", "/v1/me/addresses", json: [
                "name": "Erika", "line1": "Weg 1", "postal_code": "1010", "city": "Wien", "country": "AT",
            ], token: buyer.token)
            #expect(address.status == 201)
            await w.settle()
            let export = try await w.server.send("GET", "/v1/me/export", token: buyer.token)
            #expect(export.status == 200)
            let keys = Set(export.json.objectKeys)
            #expect(keys == Self.exportKeys, "missing \(Self.exportKeys.subtracting(keys)), extra \(keys.subtracting(Self.exportKeys))")
            #expect(export.json["format"] == "basar-export/1")
            #expect(export.json["account"]?["id"]?.stringValue == buyer.id)
            #expect(export.json["orders"]?.arrayValue?.first?["id"]?.stringValue == order)
            #expect(export.json["addresses"]?.arrayValue?.count == 1)
            #expect(export.json["wallet_transactions"]?.arrayValue?.count == 2)
            #expect(export.json["inbox"]?.arrayValue?.count == 1)
            #expect(export.json["notification_settings"]?["max_offers_per_week"] == 3)
        }
    }

    @Test("erasure: password checked, money first paid out, then personal data gone from the file, records kept")
    func erasure() async throws {
        try await TrustWorld.with { w in
            let email = "erika.\(UUID().uuidString.prefix(8).lowercased())@example.com"
            let buyer = try await w.buyer(funds: 5_000, email: email, password: "correct horse battery")
            let product = try await w.product(price: 1_000)
            let order = try await w.order(product, token: buyer.token, quantity: 2)
            _ = try await w.server.send("POST", "/v1/me/addresses", json: [
                "name": "Erika Mustermann", "line1": "Unverwechselbarweg 17", "postal_code": "10115", "city": "Berlin",
                "country": "DE",
            ], token: buyer.token)
            await w.settle()

            #expect(try await w.server.send("DELETE", "/v1/me", json: [:], token: buyer.token).status == 400)
            let wrong = try await w.server.send("DELETE", "/v1/me", json: ["password": "wrong password"], token: buyer.token)
            #expect(wrong.status == 401)
            #expect(wrong.code == "invalid_credentials")
            let full = try await w.server.send("DELETE", "/v1/me", json: ["password": "correct horse battery"], token: buyer.token)
            #expect(full.status == 409)
            #expect(full.code == "wallet_not_empty")
            let payout = try await w.server.send(
                "POST", "/v1/wallet/payouts", json: ["amount_cents": 3_000, "method": "sandbox"], token: buyer.token,
                headers: [("Idempotency-Key", "payout-1")]
            )
            #expect(payout.status == 201, "\(payout.text)")
            #expect(payout.json["kind"] == "payout")
            #expect(payout.json["amount_cents"] == -3_000)
            let tooMuch = try await w.server.send("POST", "/v1/wallet/payouts", json: ["amount_cents": 1, "method": "sandbox"], token: buyer.token)
            #expect(tooMuch.status == 402)

            let erased = try await w.server.send("DELETE", "/v1/me", json: ["password": "correct horse battery"], token: buyer.token)
            #expect(erased.status == 204, "\(erased.text)")
            #expect(try await w.server.send("GET", "/v1/me", token: buyer.token).status == 401, "every token is dead")
            let login = try await w.server.send("POST", "/v1/sessions", json: ["email": .string(email), "password": "correct horse battery"])
            #expect(login.status == 401)
            let again = try await w.server.send("POST", "/v1/accounts", json: [
                "email": .string(email), "password": "another good password", "display_name": "Erika Neu",
            ])
            #expect(again.status == 201, "the email is free again")

            // Records stay under the account id; a refund of its order goes to the ledger's payable account.
            let refund = try await w.server.send("POST", "/v1/orders/\(order)/refunds", json: ["reason": "return"], token: w.merchant)
            #expect(refund.status == 201, "\(refund.text)")
            let ledger = try await w.server.send("GET", "/v1/admin/ledger/check", token: w.admin)
            #expect(ledger.json["balanced"] == true)
            let kept = try await w.server.database.read { db in
                (try db.scalar("SELECT COUNT(*) FROM orders WHERE account_id = ?", buyer.id),
                 try db.scalar("SELECT balance_cents FROM ledger_accounts WHERE id = 'platform:payable'"))
            }
            #expect(kept.0 == 1)
            #expect(kept.1 == 2_000)

            // The new account with the same email is unrelated; the old one's texts are gone from the file.
            try await w.server.database.checkpoint()
            for secret in ["Unverwechselbarweg", "Mustermann"] {
                for suffix in ["", "-wal"] {
                    let bytes = (try? Data(contentsOf: URL(fileURLWithPath: w.server.databasePath + suffix))) ?? Data()
                    #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) still in the database file\(suffix)")
                }
            }
        }
    }
}

extension JSON {
    var objectKeys: [String] {
        if case let .object(members) = self { return members.map(\.0) }
        return []
    }
}
