import Core
import Foundation
import Games
import Testing
import TestSupport

@Suite("Plays: provably fair, idempotent, listed with the odds that apply")
struct GamePlayTests {
    static let prizes: [(String, Int, String?)] = [("Gold", 5, nil), ("Silver", 15, nil), ("Bronze", 30, nil),
                                                   ("Nothing", 50, nil)]

    @Test("200 plays are recomputed from the revealed seed, every outcome matching")
    func recomputeAfterRotation() async throws {
        let content = try GamesSupport.content(["fair.json": GamesSupport.drawGame(id: "game_fair", prizes: Self.prizes)])
        defer { GamesSupport.remove(content) }
        let server = try await InProcessApp(contentDirectory: content)
        do {
            let (token, _) = try await server.signUp()
            let before = try await server.send("GET", "/v1/games/game_fair/fairness", token: token)
            #expect(before.status == 200)
            #expect(before.json["next_nonce"]?.intValue == 0)
            let commitment = try #require(before.json["server_seed_hash"]?.stringValue)
            #expect(commitment.count == 64)
            var plays: [JSON] = []
            for index in 0..<200 {
                // Half the plays send a client seed (including non-ASCII text), half let the server pick one.
                let body: JSON = index % 2 == 0 ? ["client_seed": .string("spieler-\(index)-äöü")] : [:]
                let play = try await server.send("POST", "/v1/games/game_fair/plays", json: body, token: token)
                try #require(play.status == 201, "\(play.text)")
                plays.append(play.json)
            }
            let rotation = try await server.send("POST", "/v1/games/game_fair/fairness/rotate", token: token)
            #expect(rotation.status == 200)
            let seedHex = try #require(rotation.json["revealed_server_seed"]?.stringValue)
            let seed = try #require(Hex.decode(seedHex))
            #expect(seed.count == 32)
            #expect(seedHex == seedHex.lowercased())
            #expect(rotation.json["revealed_server_seed_hash"]?.stringValue == commitment)
            #expect(FairDraw.commitment(to: seed) == commitment)
            let fresh = try #require(rotation.json["server_seed_hash"]?.stringValue)
            #expect(fresh != commitment)
            let after = try await server.send("GET", "/v1/games/game_fair/fairness", token: token)
            #expect(after.json["server_seed_hash"]?.stringValue == fresh)
            #expect(after.json["next_nonce"]?.intValue == 0)

            let weights = Self.prizes.map { Int64($0.1) }
            for (index, play) in plays.enumerated() {
                let fairness = try #require(play["fairness"])
                #expect(fairness["server_seed_hash"]?.stringValue == commitment)
                #expect(fairness["nonce"]?.intValue == Int64(index))
                let clientSeed = try #require(fairness["client_seed"]?.stringValue)
                if index % 2 == 1 { #expect(clientSeed.count == 16 && Hex.decode(clientSeed) != nil) }
                let result = try #require(
                    FairDraw.draw(serverSeed: seed, clientSeed: clientSeed, nonce: Int64(index), weights: weights)
                )
                #expect(play["outcome"]?["label"]?.stringValue == Self.prizes[result.index].0, "play \(index)")
                #expect(play["outcome"]?["coupon"] == .null)
                #expect(play["id"]?.stringValue?.hasPrefix("play_") == true)
                #expect(play["game_id"]?.stringValue == "game_fair")
            }
            // Every play is stored with what it takes to recompute it.
            #expect(try await GamesSupport.count("SELECT COUNT(*) FROM game_plays", on: server) == 200)
            #expect(try await GamesSupport.count(
                "SELECT COUNT(*) FROM game_revealed_seeds WHERE server_seed_hash = ? AND plays = 200", commitment, on: server
            ) == 1)
        } catch { Issue.record(error) }
        await server.stop()
    }

    @Test("an idempotent replay answers the first play byte for byte and draws nothing again")
    func idempotentReplay() async throws {
        let server = try await InProcessApp()
        do {
            let (token, _) = try await server.signUp()
            let key = [("Idempotency-Key", "spin-1")]
            let first = try await server.send("POST", "/v1/games/game_wheel/plays", json: ["client_seed": "x"], token: token, headers: key)
            #expect(first.status == 201)
            let again = try await server.send("POST", "/v1/games/game_wheel/plays", json: ["client_seed": "x"], token: token, headers: key)
            #expect(again.status == 201)
            #expect(again.body == first.body)
            #expect(again.header("Idempotent-Replayed") == "true")
            let other = try await server.send("POST", "/v1/games/game_wheel/plays", json: ["client_seed": "y"], token: token, headers: key)
            #expect(other.status == 422)
            #expect(other.code == "idempotency_key_reused")
            let fairness = try await server.send("GET", "/v1/games/game_wheel/fairness", token: token)
            #expect(fairness.json["next_nonce"]?.intValue == 1)
            let list = try await server.send("GET", "/v1/games", token: token)
            let wheel = list.json["data"]?.arrayValue?.first { $0["id"]?.stringValue == "game_wheel" }
            #expect(wheel?["plays_left_today"]?.intValue == 2)
            #expect(try await GamesSupport.count("SELECT COUNT(*) FROM game_plays", on: server) == 1)
        } catch { Issue.record(error) }
        await server.stop()
    }

    @Test("the list shows every game with kind, plays left and the odds of the prizes still in the draw")
    func listing() async throws {
        let server = try await InProcessApp()
        do {
            #expect(try await server.send("GET", "/v1/games").status == 401)
            let (token, _) = try await server.signUp()
            try await GamesSupport.campaign("wheel-small", on: server)
            let list = try await server.send("GET", "/v1/games", token: token)
            #expect(list.status == 200)
            let games = try #require(list.json["data"]?.arrayValue)
            #expect(Set(games.compactMap { $0["id"]?.stringValue }) == ["game_wheel", "game_scratch", "game_kitten"])
            let wheel = try #require(games.first { $0["id"]?.stringValue == "game_wheel" })
            #expect(wheel["kind"]?.stringValue == "wheel")
            #expect(wheel["plays_left_today"]?.intValue == 3)
            let prizes = try #require(wheel["prizes"]?.arrayValue)
            #expect(prizes.compactMap { $0["label"]?.stringValue } == ["Small coupon", "Try again", "Big coupon", "So close!"])
            #expect(prizes.compactMap { $0["weight"]?.intValue } == [20, 50, 5, 25])
            // wheel-big does not exist here, so "Big coupon" is out and the others share 95.
            #expect(prizes.map { $0["available"]?.boolValue } == [true, true, false, true])
            #expect(prizes[2]["probability"] == .int(0))
            #expect(prizes[0]["probability"] == .double(20.0 / 95.0))
            #expect(prizes[1]["probability"] == .double(50.0 / 95.0))
            let kitten = try #require(games.first { $0["id"]?.stringValue == "game_kitten" })
            #expect(kitten["plays_left_today"] == .null)
            #expect(kitten["kind"]?.stringValue == "pet")
            #expect(kitten["prizes"]?.arrayValue?.isEmpty == true)
        } catch { Issue.record(error) }
        await server.stop()
    }

    @Test("errors: unknown game 404, pet plays 409 invalid_state, bad body 400, in the documented order")
    func errors() async throws {
        let server = try await InProcessApp()
        do {
            let (token, _) = try await server.signUp()
            #expect(try await server.send("POST", "/v1/games/game_wheel/plays", json: [:]).status == 401)
            #expect(try await server.send("POST", "/v1/games/game_nope/plays", json: ["bad": 1], token: token).status == 404)
            #expect(try await server.send("GET", "/v1/games/game_nope/fairness", token: token).status == 404)
            #expect(try await server.send("POST", "/v1/games/game_nope/fairness/rotate", token: token).status == 404)
            let bad = try await server.send("POST", "/v1/games/game_wheel/plays", json: ["seed": "x"], token: token)
            #expect(bad.status == 400)
            #expect(bad.json["errors"]?.arrayValue?.first?["field"]?.stringValue == "seed")
            let number = try await server.send("POST", "/v1/games/game_wheel/plays", json: ["client_seed": 5], token: token)
            #expect(number.status == 400)
            let pet = try await server.send("POST", "/v1/games/game_kitten/plays", json: [:], token: token)
            #expect(pet.status == 409)
            #expect(pet.code == "invalid_state")
            let body = try await server.send("POST", "/v1/games/game_wheel/fairness/rotate", json: ["x": 1], token: token)
            #expect(body.status == 400)
        } catch { Issue.record(error) }
        await server.stop()
    }

    @Test("basar games verify agrees with the server's plays, with and without excluded prizes")
    func verifierAgrees() async throws {
        let server = try await TestServer()
        do {
            try await GamesSupport.campaign("wheel-small", on: server)
            try await GamesSupport.campaign("wheel-big", on: server)
            let (full, _) = try await server.signUp()
            var plays: [(JSON, [String])] = []
            for index in 0..<3 {
                let play = try await server.send("POST", "/v1/games/game_wheel/plays", json: ["client_seed": .string("cli \(index)")], token: full)
                try #require(play.status == 201)
                plays.append((play.json, []))
            }
            let seed = try #require(try await server.send("POST", "/v1/games/game_wheel/fairness/rotate", token: full)
                .json["revealed_server_seed"]?.stringValue)
            // A second account whose plays ran with "Small coupon" out of the draw (its per-account limit reached).
            try await server.database.write { db in
                try db.run("UPDATE campaigns SET per_account_limit = 0 WHERE key = 'wheel-small'")
            }
            let (partial, _) = try await server.signUp()
            var partialPlays: [JSON] = []
            for index in 0..<3 {
                let play = try await server.send("POST", "/v1/games/game_wheel/plays", json: ["client_seed": .string("p\(index)")], token: partial)
                try #require(play.status == 201)
                partialPlays.append(play.json)
            }
            let partialSeed = try #require(try await server.send("POST", "/v1/games/game_wheel/fairness/rotate", token: partial)
                .json["revealed_server_seed"]?.stringValue)
            for (play, seedHex, exclude) in plays.map({ ($0.0, seed, "") }) + partialPlays.map({ ($0, partialSeed, "Small coupon") }) {
                let fairness = try #require(play["fairness"])
                var arguments = [
                    "games", "verify", "--seed", seedHex, "--client-seed", fairness["client_seed"]?.stringValue ?? "",
                    "--nonce", String(fairness["nonce"]?.intValue ?? -1), "--game", "game_wheel", "--json",
                ]
                if !exclude.isEmpty { arguments += ["--exclude", exclude] }
                let run = try await runBasar(arguments)
                #expect(run.code == 0, "\(run.stderr)")
                let printed = try JSONParser.parse(Array(run.stdout.utf8))
                #expect(printed["label"] == play["outcome"]?["label"])
                #expect(printed["server_seed_hash"] == fairness["server_seed_hash"])
            }
            let text = try await runBasar(["games", "verify", "--seed", seed, "--client-seed", "cli 0", "--nonce", "0", "--game", "game_wheel"])
            #expect(text.stdout.hasPrefix((plays[0].0["outcome"]?["label"]?.stringValue ?? "?") + "\n"))
            #expect(try await runBasar(["games", "verify", "--seed", seed, "--client-seed", "c", "--nonce", "0", "--game", "game_none"]).code == 65)
            #expect(try await runBasar(["games", "verify", "--seed", "abc", "--client-seed", "c", "--nonce", "0", "--game", "game_wheel"]).code == 64)
            #expect(try await runBasar(["games", "verify", "--seed", seed, "--client-seed", "c", "--game", "game_wheel"]).code == 64)
            #expect(try await runBasar(["games", "verify", "--help"]).code == 0)
        } catch { Issue.record(error) }
        await server.stop()
    }
}
