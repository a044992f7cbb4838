import Core
import Foundation
import Games
import Testing
import TestSupport

@Suite("Game files are validated at start-up with the file and field named")
struct GameContentTests {
    static let validWheel = GamesSupport.drawGame(id: "game_t", prizes: [("A", 1, "a-key"), ("B", 2, nil)])

    func parse(_ text: String) throws -> GameDefinition {
        try GameCatalog.parse(Array(text.utf8), file: "games/t.json")
    }

    func failure(_ text: String) -> GameContentError? {
        do {
            _ = try parse(text)
            return nil
        } catch let error as GameContentError {
            return error
        } catch {
            return nil
        }
    }

    @Test("the shipped games load: a wheel, a scratch card and a pet, bound to the demo campaign keys")
    func shipped() throws {
        let games = try GameCatalog.load(from: TestServer.repositoryRoot.appendingPathComponent("Content/games"))
        #expect(Set(games.map(\.kind)) == [.wheel, .scratch, .pet])
        let keys = Set(games.flatMap { $0.prizes.compactMap(\.campaignKey) + [$0.pet?.levelCampaignKey].compactMap { $0 } })
        #expect(keys == ["wheel-small", "wheel-big", "scratch-prize", "kitten-level"])
        let pet = try #require(games.first { $0.kind == .pet }?.pet)
        #expect(pet.actions["feed"] != pet.actions["play"])
    }

    @Test("a valid file parses with prizes in file order")
    func valid() throws {
        let game = try parse(Self.validWheel)
        #expect(game.prizes.map(\.label) == ["A", "B"])
        #expect(game.prizes.map(\.campaignKey) == ["a-key", nil])
        #expect(game.dailyLimit == 1000)
    }

    @Test(
        "a bad weight is named precisely",
        arguments: [("0", "must be a whole number greater than 0"), ("-3", "greater than 0"), ("1.5", "whole number"),
                    ("\"3\"", "whole number"), ("null", "whole number")]
    )
    func badWeight(weight: String, message: String) throws {
        let text = Self.validWheel.replacingOccurrences(of: "\"weight\": 2", with: "\"weight\": \(weight)")
        let error = try #require(failure(text))
        #expect(error.file == "games/t.json")
        #expect(error.field == "prizes[1].weight")
        #expect(error.message.contains(message))
        #expect(error.description.contains("games/t.json"))
        #expect(error.description.contains("prizes[1].weight"))
    }

    @Test("an unknown kind is named")
    func unknownKind() throws {
        let error = try #require(failure(Self.validWheel.replacingOccurrences(of: "\"wheel\"", with: "\"slots\"")))
        #expect(error.field == "kind")
        #expect(error.message.contains("slots"))
    }

    @Test("missing fields are named", arguments: ["\"title\": \"Test game_t\", ", "\"daily_limit\": 1000, "])
    func missingField(removed: String) throws {
        let text = Self.validWheel.replacingOccurrences(of: removed, with: "")
        #expect(text != Self.validWheel)
        let error = try #require(failure(text))
        #expect(error.field == String(removed.split(separator: "\"")[0]))
        #expect(error.message == "is required")
    }

    @Test("other mistakes are named")
    func otherMistakes() throws {
        #expect(failure(Self.validWheel.replacingOccurrences(of: ", \"campaign_key\": null", with: ""))?.field
            == "prizes[1].campaign_key")
        #expect(failure(Self.validWheel.replacingOccurrences(of: "\"B\"", with: "\"A\""))?.field == "prizes[1].label")
        #expect(failure(Self.validWheel.replacingOccurrences(of: "game_t", with: "wheel"))?.field == "id")
        #expect(failure(Self.validWheel.replacingOccurrences(of: "\"title\"", with: "\"max_energy\": 3, \"title\""))?
            .field == "max_energy")
        #expect(failure("{\"kind\": \"wheel\",")?.message.contains("malformed JSON") == true)
        let pet = """
            {"id": "game_p", "kind": "pet", "title": "P", "description": "", "max_energy": 5,
             "energy_refill_seconds": 60, "actions": {"feed": {"energy": 1, "xp": 5}, "play": {"energy": 2, "xp": 9}},
             "level_thresholds": [10, 30, 45], "level_campaign_key": "k"}
            """
        #expect(failure(pet)?.field == "level_thresholds[2]")
        let good = pet.replacingOccurrences(of: "45", with: "60")
        #expect(failure(good) == nil)
        #expect(failure(good.replacingOccurrences(of: "\"xp\": 9", with: "\"xp\": 11"))?.field == "actions")
        #expect(failure(good.replacingOccurrences(of: "\"energy\": 2, \"xp\": 9", with: "\"energy\": 1, \"xp\": 5"))?
            .field == "actions.play")
        #expect(failure(good.replacingOccurrences(of: "\"energy\": 2", with: "\"energy\": 6"))?.field
            == "actions.play.energy")
    }

    @Test("a malformed game file stops start-up, and basar serve exits non-zero naming file and field")
    func startupStops() async throws {
        let bad = Self.validWheel.replacingOccurrences(of: "\"weight\": 2", with: "\"weight\": 0")
        let content = try GamesSupport.content(["a_good.json": Self.validWheel.replacingOccurrences(of: "game_t", with: "game_ok"),
                                                "b_bad.json": bad])
        defer { GamesSupport.remove(content) }
        let path = TestServer.temporaryDatabasePath()
        defer { TestServer.removeDatabase(at: path) }
        do {
            let server = try await TestServer(databasePath: path, contentDirectory: content)
            await server.stop(removeDatabase: false)
            Issue.record("the server started with a malformed game file")
        } catch let error as GameContentError {
            #expect(error.file.hasSuffix("games/b_bad.json"))
            #expect(error.field == "prizes[1].weight")
        }
        let run = try await runBasar(["serve", "--port", "0", "--db", path, "--content", content.path])
        #expect(run.code != 0)
        #expect(run.stderr.contains("b_bad.json"))
        #expect(run.stderr.contains("prizes[1].weight"))
    }
}
