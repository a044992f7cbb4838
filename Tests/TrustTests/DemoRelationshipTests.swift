import Core
import Testing
import TestSupport

/// `--demo` shows the second edition at once: the demo shopper's address, delivered order, follow, community and an
/// answered question, and the inbox items they produced.
@Suite("Demo data of the relationship modules")
struct DemoRelationshipTests {
    @Test("Anna has an address, delivered orders, a followed host, a community, an answered question and inbox items; products bought together")
    func demo() async throws {
        let server = try await InProcessApp(demo: true)
        do {
            let login = try await server.send("POST", "/v1/sessions", json: ["email": "anna@basar.test", "password": "basar-anna-pass"])
            let token = try #require(login.json["token"]?.stringValue)
            #expect(try await server.send("GET", "/v1/me/addresses", token: token).json["data"]?.arrayValue?.count == 1)
            let orders = try await server.send("GET", "/v1/orders", token: token).json["data"]?.arrayValue ?? []
            #expect(orders.first?["fulfillment_status"] == "delivered")
            #expect(orders.first?["shipping_address"]?["city"] == "Berlin")
            #expect(try await server.send("GET", "/v1/me/following", token: token).json["data"]?.arrayValue?.count == 1)
            #expect(try await server.send("GET", "/v1/communities").json["data"]?.arrayValue?.first?["member_count"] == 3)
            let questions = try await server.send("GET", "/v1/conversations", token: token).json["data"]?.arrayValue ?? []
            #expect(questions.first?["first_response_at"]?.stringValue != nil)
            #expect(try await server.send("GET", "/v1/team-deals").json["data"]?.arrayValue?.count == 1)
            await server.app.dispatcher.catchUp()
            let inbox = try await server.send("GET", "/v1/inbox", token: token).json["data"]?.arrayValue ?? []
            let categories = Set(inbox.compactMap { $0["category"]?.stringValue })
            #expect(categories.isSuperset(of: ["order", "shipment", "support"]), "\(categories)")

            // Each shopper answered the delivery survey: the admin's feedback page has figures at once.
            let adminLogin = try await server.send("POST", "/v1/sessions", json: ["email": "admin@basar.test", "password": "basar-admin-pass"])
            let admin = try #require(adminLogin.json["token"]?.stringValue)
            let report = try await server.send("GET", "/v1/admin/feedback/report", token: admin).json
            #expect(report["nps"]?["responses"] == 2, "\(report)")
            #expect(report["nps"]?["promoters"] == 1 && report["nps"]?["passives"] == 1, "\(report)")
            #expect(try await server.send("GET", "/v1/surveys/pending", token: token).json["data"] == [], "answered, not pending")

            // Two demo orders hold the Teekanne with the Sencha: it is bought together with it, as §21 counts it.
            let products = try await server.send("GET", "/v1/products?q=Teekanne&limit=100").json["data"]?.arrayValue ?? []
            let pot = try #require(products.first { $0["sku"] == "KAFF-TEEKANNE-3" }?["id"]?.stringValue)
            let together = try await server.send("GET", "/v1/products/\(pot)/recommendations").json["data"]?.arrayValue ?? []
            #expect(together.first?["product"]?["sku"] == "KAFF-GRUNER-TEE-SENCHA-3", "\(together)")
            #expect(together.first?["reason"] == "bought_together", "\(together)")
        } catch {
            Issue.record(error)
        }
        await server.stop()
    }
}
