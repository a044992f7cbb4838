import Core
import Foundation
import Testing
import TestSupport

/// `--demo` runs the experiments that the shipped abandoned-cart rule and scratch card name, so both vary by account
/// at once.
@Suite("Demo experiments")
struct DemoExperimentTests {
    @Test("the experiments the abandoned-cart rule and the scratch card name run; Anna's scratch table follows her variant")
    func demo() async throws {
        let server = try await InProcessApp(demo: true)
        do {
            let admin = try await login("admin@basar.test", "basar-admin-pass", server)
            let list = try await server.send("GET", "/v1/admin/experiments", token: admin)
            let running = Set((list.json["data"]?.arrayValue ?? []).filter { $0["status"] == "running" }.compactMap { $0["key"]?.stringValue })
            // The shipped files name them; read as a deployment reads them.
            let rule = try Self.content("signals/abandoned_cart.json")
            let scratch = try Self.content("games/scratch.json")
            let ruleKey = try #require(rule["experiment"]?["key"]?.stringValue)
            let gameKey = try #require(scratch["experiment"]?["key"]?.stringValue)
            #expect(running.isSuperset(of: [ruleKey, gameKey]), "\(running)")
            #expect(rule["experiment"]?["variants"]?["bigger_coupon"]?["coupon"]?["campaign_key"] == "abandoned-cart-big")
            let merchant = try await login("merchant@basar.test", "basar-merchant-pass", server)
            let campaigns = try await server.send("GET", "/v1/campaigns", token: merchant)
            #expect(campaigns.json["data"]?.arrayValue?.contains { $0["key"] == "abandoned-cart-big" } == true, "\(campaigns.text)")

            let anna = try await login("anna@basar.test", "basar-anna-pass", server)
            let notices = try await server.send("GET", "/v1/privacy/notices")
            let version = notices.json["data"]?.arrayValue?.first { $0["purpose"] == "analytics" }?["version"] ?? .null
            let granted = try await server.send("PUT", "/v1/me/consents/analytics", json: ["granted": true, "notice_version": version], token: anna)
            try #require(granted.status == 200, "\(granted.text)")
            let variant = try await server.send("GET", "/v1/me/experiments/\(gameKey)", token: anna).json["variant"]?.stringValue
            let games = try await server.send("GET", "/v1/games", token: anna)
            let listed = try #require(games.json["data"]?.arrayValue?.first { $0["id"] == "game_scratch" })
            let table = scratch["experiment"]?["variants"]?[variant ?? ""] != nil ? variant : nil
            #expect(listed["prize_table"] == JSON(table), "\(variant ?? "-"): \(listed.serializedString())")
            let play = try await server.send("POST", "/v1/games/game_scratch/plays", json: [:], token: anna)
            #expect(play.status == 201 && play.json["fairness"]?["prize_table"] == JSON(table), "\(play.text)")
            let results = try await server.send("GET", "/v1/admin/experiments/\(gameKey)/results", token: admin)
            let exposed = results.json["variants"]?.arrayValue?.first { $0["key"]?.stringValue == variant }?["exposed"]
            #expect(exposed == 1, "\(results.text)")
        } catch {
            Issue.record(error)
        }
        await server.stop()
    }

    static func content(_ path: String) throws -> JSON {
        try JSONParser.parse(Array(try Data(contentsOf: TestServer.repositoryRoot.appendingPathComponent("Content/\(path)"))))
    }

    func login(_ email: String, _ password: String, _ server: some TestApp) async throws -> String {
        let login = try await server.send("POST", "/v1/sessions", json: ["email": .string(email), "password": .string(password)])
        return try #require(login.json["token"]?.stringValue, "\(login.text)")
    }
}
