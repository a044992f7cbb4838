import Core
import Foundation
import Storage
import Testing
import TestSupport

/// `basar retention run` and event-ticket expiry: what happens as time passes.
@Suite("Retention and ticket expiry")
struct RetentionTests {
    @Test("retention counts from the end of the year: a dry run changes nothing, a run removes letters, keeps amounts")
    func retention() async throws {
        let path = TestServer.temporaryDatabasePath()
        defer { TestServer.removeDatabase(at: path) }
        let server = try await TestServer(databasePath: path)
        let (merchant, _) = try await server.signUp(roles: [.merchant])
        let (buyer, _) = try await server.signUp()
        _ = try await server.send("POST", "/v1/wallet/top-ups", json: ["amount_cents": 5_000, "method": "sandbox"], token: buyer)
        let product = try await server.send("POST", "/v1/products", json: [
            "sku": "RET-1", "title": "Teekanne", "price_cents": 1000, "stock": 5, "category": "test",
        ], token: merchant)
        let address = try await server.send("POST", "/v1/me/addresses", json: [
            "name": "Erika", "line1": "Weg 1", "postal_code": "1", "city": "Köln", "country": "DE",
        ], token: buyer)
        let order = try await server.send("POST", "/v1/orders", json: [
            "items": [["product_id": .string(product.json["id"]?.stringValue ?? ""), "quantity": 1]],
            "address_id": .string(address.json["id"]?.stringValue ?? ""),
        ], token: buyer)
        #expect(order.status == 201)
        await server.app.dispatcher.catchUp()
        await server.stop(removeDatabase: false)

        let year = Calendar(identifier: .gregorian).component(.year, from: Date())
        // Next year nothing is past any period; 11 years on, everything is.
        let soon = try await BasarBinary.execute(["retention", "run", "--as-of", "\(year + 1)-06-01", "--json", "--db", path])
        #expect(soon.code == 0, "\(soon.stderr)")
        let none = try JSONParser.parse(Array(soon.stdout.utf8))
        #expect(none["rules"]?.arrayValue?.allSatisfy { $0["records"] == 0 } == true, "\(soon.stdout)")
        let dry = try await BasarBinary.execute(["retention", "run", "--as-of", "\(year + 11)-01-01", "--dry-run", "--json", "--db", path])
        let counted = try JSONParser.parse(Array(dry.stdout.utf8))
        #expect(counted["dry_run"] == true)
        #expect(counted["rules"]?.arrayValue?.first?["rule"] == "business_letters")
        #expect(counted["rules"]?.arrayValue?.first?["records"] == 1)
        #expect(counted["rules"]?.arrayValue?.dropFirst().first?["records"] == 1, "the order's address")
        let real = try await BasarBinary.execute(["retention", "run", "--as-of", "\(year + 11)-01-01", "--json", "--db", path])
        #expect(real.code == 0, "\(real.stderr)")
        let database = try Database(path: path)
        let (items, addresses, ledgerSum) = try await database.read { db in
            (try db.scalar("SELECT COUNT(*) FROM inbox_items"),
             try db.scalar("SELECT COUNT(*) FROM orders WHERE shipping_address IS NOT NULL"),
             try db.scalar("SELECT SUM(amount_cents) FROM ledger_entries"))
        }
        database.close()
        #expect(items == 0)
        #expect(addresses == 0)
        #expect(ledgerSum == 0, "amounts stay, the books balance")
        let check = try await BasarBinary.execute(["check", "--db", path])
        #expect(check.code == 0, "\(check.stdout)")
    }

    @Test("a ticket expires after 60 seconds of the test clock")
    func ticketExpiry() async throws {
        try await TrustWorld.with(testClock: true) { w in
            let (viewer, _) = try await w.server.signUp()
            let ticket = try #require(try await w.server.send("POST", "/v1/event-tickets", token: viewer).json["ticket"]?.stringValue)
            let moved = try await w.server.send("POST", "/v1/admin/test-clock", json: ["advance_seconds": 61], token: w.admin)
            #expect(moved.status == 200)
            #expect(try await w.server.send("GET", "/v1/live-sessions/live_x/events?ticket=\(ticket)").status == 401)
        }
    }
}
