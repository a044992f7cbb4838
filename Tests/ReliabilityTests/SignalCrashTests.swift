import Core
import Foundation
import Storage
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A SIGKILL between a signal's trigger and its due time neither loses nor doubles the offer (issue 17): the event
/// and the scheduled check are durable, the consumer's cursor moves with its effect.
@Suite("Signals across a crash")
struct SignalCrashTests {
    @Test("cart change, SIGKILL, restart, 61 minutes on the test clock: exactly one offer with one coupon")
    func abandonedCartAcrossKill() async throws {
        await ServerGate.shared.acquire()
        let path = TestServer.temporaryDatabasePath()
        defer { TestServer.removeDatabase(at: path) }
        var server = try await BasarProcess(databasePath: path, extraArguments: ["--test-clock"])
        do {
            let client = server.client
            let adminEmail = "admin-\(UUID().uuidString.prefix(6).lowercased())@example.com"
            let merchantEmail = "merchant-\(UUID().uuidString.prefix(6).lowercased())@example.com"
            let admin = try await client.signUp(email: adminEmail)
            let merchant = try await client.signUp(email: merchantEmail)
            try await BasarBinary.grant(email: adminEmail, role: "admin", databasePath: path)
            try await BasarBinary.grant(email: merchantEmail, role: "merchant", databasePath: path)
            let campaign = try await client.send("POST", "/v1/campaigns", json: [
                "name": "Cart", "discount": ["type": "percent", "value": 10], "valid_from": "2020-01-01T00:00:00Z",
                "valid_until": "2040-01-01T00:00:00Z", "max_coupons": 100, "per_account_limit": 10, "key": "abandoned-cart",
            ], token: merchant.token)
            #expect(campaign.status == 201, "\(campaign.text)")
            let product = try await client.send("POST", "/v1/products", json: [
                "sku": "CRASH-CART", "title": "Teekanne", "price_cents": 1000, "stock": 5, "category": "test",
            ], token: merchant.token).json["id"]?.stringValue ?? ""
            // A customer outside the rule's 10% holdout (FNV-1a of "holdout:abandoned_cart:<id>" mod 100 ≥ 10).
            var customer = try await client.signUp()
            while Self.fnv1a("holdout:abandoned_cart:\(customer.accountID)") % 100 < 10 { customer = try await client.signUp() }
            let notices = try await client.send("GET", "/v1/privacy/notices")
            let version = notices.json["data"]?.arrayValue?.first?["version"]?.stringValue ?? ""
            _ = try await client.send("PUT", "/v1/me/consents/marketing", json: ["granted": true, "notice_version": .string(version)], token: customer.token)
            _ = try await client.send("PATCH", "/v1/me/notification-settings", json: ["quiet_hours": nil], token: customer.token)
            let cart = try await client.send("PUT", "/v1/cart/items/\(product)", json: ["quantity": 1], token: customer.token)
            #expect(cart.status == 200)

            server.kill(SIGKILL)
            #expect(await server.waitForExit() == 128 + SIGKILL)
            server = try await BasarProcess(databasePath: path, extraArguments: ["--test-clock"])
            let moved = try await server.client.send("POST", "/v1/admin/test-clock", json: ["advance_seconds": 3_660], token: admin.token)
            #expect(moved.status == 200, "\(moved.text)")
            var offers: [JSON] = []
            for _ in 0..<250 where offers.isEmpty {
                let inbox = try await server.client.send("GET", "/v1/inbox", token: customer.token)
                offers = inbox.json["data"]?.arrayValue?.filter { $0["category"] == "offer" } ?? []
                if offers.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(offers.count == 1, "the offer survived the crash")
            #expect(offers.first?["data"]?["coupon_id"]?.stringValue != nil)
            // Settled: nothing left due, every consumer at the end of the log, so no second offer can come.
            let database = try Database(path: path)
            let (pending, behind, sent, coupons) = try await database.read { db in
                (try db.scalar("SELECT COUNT(*) FROM scheduled_jobs WHERE kind = 'signal.check'"),
                 try db.scalar("SELECT COUNT(*) FROM event_cursors WHERE consumer = 'signals' AND position < (SELECT MAX(id) FROM domain_events WHERE name IN ('cart.updated', 'order.paid'))"),
                 try db.scalar("SELECT COUNT(*) FROM send_log WHERE rule = 'abandoned_cart' AND outcome = 'sent'"),
                 try db.scalar("SELECT COUNT(*) FROM coupons WHERE source = 'signal'"))
            }
            database.close()
            #expect(pending == 0)
            #expect(behind == 0)
            #expect(sent == 1)
            #expect(coupons == 1)
        } catch {
            Issue.record(error)
        }
        server.kill(SIGTERM)
        _ = await server.waitForExit()
        await ServerGate.shared.release()
    }

    static func fnv1a(_ text: String) -> UInt32 {
        text.utf8.reduce(UInt32(2_166_136_261)) { ($0 ^ UInt32($1)) &* 16_777_619 }
    }
}
