import Core
import Foundation
import Games
import Testing
import TestSupport

/// A game file that names an experiment (`Content/games/README.md`): each player draws from the prize table of
/// their variant (recomputed from the revealed salt), every draw verifies against the table the play names, the
/// listing and plays log exposures only with the `analytics` consent, and a stopped experiment draws from the game's
/// own prizes.
@Suite("Experiments named by a game file")
struct GameExperimentTests {
    static let own: [(String, Int, String?)] = [("Gold", 1, nil), ("Nothing", 3, nil)]
    static let generous: [(String, Int, String?)] = [("Gold", 3, nil), ("Silver", 2, nil), ("Nothing", 1, nil)]

    static var game: String {
        let table = generous.map { "{\"label\": \"\($0.0)\", \"weight\": \($0.1), \"campaign_key\": null}" }
        let file = GamesSupport.drawGame(id: "game_ab", prizes: own)
        return String(file.dropLast()) + """
            , "experiment": {"key": "wheel-odds", "variants": {"generous": {"prizes": [\(table.joined(separator: ", "))]}}}}
            """
    }

    @Test("each player's table is its variant's, both seen; every draw verifies with its table; exposures; stopped → own prizes")
    func variantTables() async throws {
        let content = try TestContent.replacing("games", with: ["ab.json": Self.game])
        defer { TestContent.remove(content) }
        let server = try await InProcessApp(contentDirectory: content)
        do {
            let (admin, _) = try await server.signUp(roles: [.admin])
            let created = try await server.send("POST", "/v1/admin/experiments", json: [
                "key": "wheel-odds", "variants": [["key": "control", "weight": 1], ["key": "generous", "weight": 1]],
            ], token: admin)
            try #require(created.status == 201, "\(created.text)")
            var players: [(id: String, token: String, table: String?, plays: [JSON])] = []
            for _ in 0..<16 {
                let (token, id) = try await server.signUp()
                try await consent(token, on: server)
                let listing = try await server.send("GET", "/v1/games", token: token)
                let game = try #require(listing.json["data"]?.arrayValue?.first { $0["id"] == "game_ab" })
                let table = game["prize_table"]?.stringValue
                let shown = Self.table(table).map(\.0)
                #expect(game["prizes"]?.arrayValue?.compactMap { $0["label"]?.stringValue } == shown)
                var plays: [JSON] = []
                for index in 0..<4 {
                    let play = try await server.send("POST", "/v1/games/game_ab/plays", json: ["client_seed": .string("s\(index)")], token: token)
                    try #require(play.status == 201, "\(play.text)")
                    #expect(play.json["fairness"]?["prize_table"] == JSON(table))
                    plays.append(play.json)
                }
                players.append((id, token, table, plays))
            }
            // A player without the consent: the first variant, the control, which draws from the game's own prizes.
            let (withholding, _) = try await server.signUp()
            let theirs = try await server.send("POST", "/v1/games/game_ab/plays", json: [:], token: withholding)
            #expect(theirs.json["fairness"]?["prize_table"] == .null, "\(theirs.text)")

            let stopped = try await server.send("POST", "/v1/admin/experiments/wheel-odds/stop", token: admin)
            let salt = try #require(stopped.json["salt"]?.stringValue)
            var perVariant: [String: Int64] = [:]
            var cliChecked = false
            for player in players {
                let variant = IndependentVariant.variant(salt: salt, account: player.id)
                perVariant[variant, default: 0] += 1
                #expect(player.table == (variant == "generous" ? "generous" : nil), "\(player.id) is in \(variant)")
                let rotation = try await server.send("POST", "/v1/games/game_ab/fairness/rotate", token: player.token)
                let seedHex = try #require(rotation.json["revealed_server_seed"]?.stringValue)
                let seed = try #require(Hex.decode(seedHex))
                let weights = Self.table(player.table).map { Int64($0.1) }
                for play in player.plays {
                    let nonce = try #require(play["fairness"]?["nonce"]?.intValue)
                    let clientSeed = try #require(play["fairness"]?["client_seed"]?.stringValue)
                    let drawn = try #require(FairDraw.draw(serverSeed: seed, clientSeed: clientSeed, nonce: nonce, weights: weights))
                    #expect(play["outcome"]?["label"]?.stringValue == Self.table(player.table)[drawn.index].0)
                }
                if let table = player.table, !cliChecked, let play = player.plays.first {
                    // The verifier that trusts nothing of the server draws from the table the play names.
                    let run = try await runBasar([
                        "games", "verify", "--seed", seedHex, "--client-seed", play["fairness"]?["client_seed"]?.stringValue ?? "",
                        "--nonce", "0", "--game", "game_ab", "--content", content.path, "--prize-table", table, "--json",
                    ])
                    #expect(run.code == 0, "\(run.stderr)")
                    let verified = try JSONParser.parse(Array(run.stdout.utf8))
                    #expect(verified["label"] == play["outcome"]?["label"] && verified["prize_table"] == JSON(table), "\(run.stdout)")
                    cliChecked = true
                }
            }
            #expect(perVariant.count == 2, "both variants among \(players.count) players: \(perVariant)")
            #expect(cliChecked)

            let results = try await server.send("GET", "/v1/admin/experiments/wheel-odds/results", token: admin)
            for row in results.json["variants"]?.arrayValue ?? [] {
                #expect(row["exposed"]?.intValue == perVariant[row["key"]?.stringValue ?? ""], "\(results.text)")
            }
            // Stopped: a generous player draws from the game's own prizes again.
            let generous = try #require(players.first { $0.table != nil })
            let afterStop = try await server.send("POST", "/v1/games/game_ab/plays", json: [:], token: generous.token)
            #expect(afterStop.json["fairness"]?["prize_table"] == .null, "\(afterStop.text)")
            let listing = try await server.send("GET", "/v1/games", token: generous.token)
            #expect(listing.json["data"]?.arrayValue?.first { $0["id"] == "game_ab" }?["prize_table"] == .null)
        } catch {
            Issue.record(error)
        }
        await server.stop()
    }

    @Test("a game file's experiment block is checked like its prizes")
    func malformed() throws {
        let cases: [(String, String)] = [
            (#""experiment": {"key": "Bad Key", "variants": {"a": {"prizes": [{"label": "X", "weight": 1, "campaign_key": null}]}}}"#, "experiment.key"),
            (#""experiment": {"key": "ok", "variants": {}}"#, "experiment.variants"),
            (#""experiment": {"key": "ok", "variants": {"a": {"prizes": []}}}"#, "experiment.variants.a.prizes"),
            (#""experiment": {"key": "ok", "variants": {"a": {"odds": 1}}}"#, "experiment.variants.a.odds"),
            (#""experiment": {"key": "ok", "variants": {"a": {"prizes": [{"label": "X", "weight": 0, "campaign_key": null}]}}}"#, "experiment.variants.a.prizes[0].weight"),
        ]
        let base = GamesSupport.drawGame(id: "game_x", prizes: Self.own)
        for (block, field) in cases {
            let text = String(base.dropLast()) + ", " + block + "}"
            #expect(throws: GameContentError.self) { try GameCatalog.parse(Array(text.utf8), file: "x.json") }
            do {
                _ = try GameCatalog.parse(Array(text.utf8), file: "x.json")
            } catch let error as GameContentError {
                #expect(error.field == field, "\(error)")
            }
        }
    }

    static func table(_ name: String?) -> [(String, Int, String?)] { name == "generous" ? generous : own }

    func consent(_ token: String, on server: some TestApp) async throws {
        let notices = try await server.send("GET", "/v1/privacy/notices")
        let version = notices.json["data"]?.arrayValue?.first { $0["purpose"] == "analytics" }?["version"] ?? .null
        let answer = try await server.send("PUT", "/v1/me/consents/analytics", json: ["granted": true, "notice_version": version], token: token)
        try #require(answer.status == 200, "\(answer.text)")
    }
}

/// The assignment of API.md §21 written again from the text (FNV-1a 32-bit, 10,000 buckets, 1:1 here), so the
/// check does not trust the code it checks.
enum IndependentVariant {
    static func variant(salt: String, account: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in Array((salt + ":" + account).utf8) { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return hash % 10_000 < 5_000 ? "control" : "generous"
    }
}
