import Core
import Foundation
import Games
import Testing
import TestSupport

@Suite("Daily limits in Europe/Berlin and coupon budgets under concurrency")
struct GameLimitTests {
    func play(_ server: some TestApp, _ token: String, _ game: String = "game_daily") async throws -> TestResponse {
        try await server.send("POST", "/v1/games/\(game)/plays", json: [:], token: token)
    }

    func playsLeft(_ server: some TestApp, _ token: String) async throws -> Int64? {
        let list = try await server.send("GET", "/v1/games", token: token)
        return list.json["data"]?.arrayValue?.first { $0["id"]?.stringValue == "game_daily" }?["plays_left_today"]?.intValue
    }

    @Test("days are calendar days in Europe/Berlin, 23 and 25 hours long around DST changes")
    func dayWindows() throws {
        let window = DailyWindow(timeZone: try #require(TimeZone(identifier: "Europe/Berlin")))
        let spring = window.day(containing: GamesSupport.utc("2026-03-29T12:00:00Z").epochSeconds)
        #expect(spring.lowerBound == GamesSupport.utc("2026-03-28T23:00:00Z").epochSeconds)
        #expect(spring.upperBound == GamesSupport.utc("2026-03-29T22:00:00Z").epochSeconds)
        let autumn = window.day(containing: GamesSupport.utc("2026-10-25T12:00:00Z").epochSeconds)
        #expect(autumn.lowerBound == GamesSupport.utc("2026-10-24T22:00:00Z").epochSeconds)
        #expect(autumn.upperBound == GamesSupport.utc("2026-10-25T23:00:00Z").epochSeconds)
        #expect(try DailyWindow.fromEnvironment([:]).timeZone.identifier == "Europe/Berlin")
        #expect(try DailyWindow.fromEnvironment(["BASAR_TIME_ZONE": "Asia/Tokyo"]).timeZone.identifier == "Asia/Tokyo")
        #expect(throws: GameContentError.self) { try DailyWindow.fromEnvironment(["BASAR_TIME_ZONE": "Mars/Olympus"]) }
    }

    @Test("the limit resets at Berlin midnight, also on the day summer time starts (23 h) and ends (25 h)")
    func dailyLimitAcrossDST() async throws {
        let content = try GamesSupport.content([
            "daily.json": GamesSupport.drawGame(id: "game_daily", dailyLimit: 2, prizes: [("Nothing", 1, nil)]),
        ])
        defer { GamesSupport.remove(content) }
        let clock = ManualClock(GamesSupport.utc("2026-03-28T22:59:58Z"))  // 23:59:58 CET on 28 March
        let server = try await InProcessApp(clock: clock, contentDirectory: content)
        do {
            let (token, _) = try await server.signUp()
            #expect(try await play(server, token).status == 201)
            #expect(try await play(server, token).status == 201)
            let limited = try await play(server, token)
            #expect(limited.status == 409)
            #expect(limited.code == "daily_limit_reached")
            #expect(try await playsLeft(server, token) == 0)
            clock.set(GamesSupport.utc("2026-03-28T23:00:00Z"))  // 00:00 CET on 29 March: a new day (a UTC day would not be)
            #expect(try await playsLeft(server, token) == 2)
            #expect(try await play(server, token).status == 201)
            clock.set(GamesSupport.utc("2026-03-29T21:59:59Z"))  // 23:59:59 CEST, the same 23-hour day
            #expect(try await play(server, token).status == 201)
            #expect(try await play(server, token).code == "daily_limit_reached")
            clock.set(GamesSupport.utc("2026-03-29T22:00:00Z"))  // 00:00 CEST on 30 March
            #expect(try await play(server, token).status == 201)

            clock.set(GamesSupport.utc("2026-10-24T22:30:00Z"))  // 00:30 CEST on 25 October, the 25-hour day
            #expect(try await play(server, token).status == 201)
            clock.set(GamesSupport.utc("2026-10-25T22:30:00Z"))  // 23:30 CET: still 25 October, 24 h later
            #expect(try await playsLeft(server, token) == 1)
            #expect(try await play(server, token).status == 201)
            #expect(try await play(server, token).code == "daily_limit_reached")
            clock.set(GamesSupport.utc("2026-10-25T23:00:00Z"))  // 00:00 CET on 26 October
            #expect(try await play(server, token).status == 201)
            // Limits are per account.
            let (other, _) = try await server.signUp()
            #expect(try await playsLeft(server, other) == 2)
        } catch { Issue.record(error) }
        await server.stop()
    }

    @Test("40 parallel plays never issue more coupons than the campaign allows")
    func budgetUnderConcurrency() async throws {
        let content = try GamesSupport.content([
            "rush.json": GamesSupport.drawGame(
                id: "game_rush", prizes: [("Coupon", 1000, "rush-prize"), ("Nothing", 1, nil)]
            ),
        ])
        defer { GamesSupport.remove(content) }
        let server = try await TestServer(contentDirectory: content)
        do {
            let campaignID = try await GamesSupport.campaign("rush-prize", maxCoupons: 5, perAccountLimit: 100, on: server)
            var tokens: [String] = []
            for _ in 0..<4 { tokens.append(try await server.signUp().token) }
            let requests = (0..<40).map {
                ParallelClient.post("/v1/games/game_rush/plays", port: server.port, token: tokens[$0 % tokens.count])
            }
            let results = try await ParallelClient.send(requests, port: server.port)
            #expect(results.allSatisfy { $0.status == 201 }, "\(results.map(\.status))")
            let won = results.filter { $0.json["outcome"]?["coupon"] != .null }
            #expect(won.count == 5)
            // A drawn prize is always issued: no "Coupon" outcome without a coupon.
            #expect(results.filter { $0.json["outcome"]?["label"]?.stringValue == "Coupon" }.count == 5)
            #expect(won.allSatisfy { $0.json["outcome"]?["coupon"]?["source"]?.stringValue == "game" })
            #expect(won.allSatisfy { $0.json["outcome"]?["coupon"]?["campaign_id"]?.stringValue == campaignID })
            #expect(try await GamesSupport.count("SELECT issued FROM campaigns WHERE id = ?", campaignID, on: server) == 5)
            #expect(try await GamesSupport.count("SELECT COUNT(*) FROM coupons WHERE campaign_id = ?", campaignID, on: server) == 5)
            #expect(try await GamesSupport.count(
                "SELECT COUNT(*) FROM game_plays WHERE coupon_id IS NOT NULL", on: server
            ) == 5)
            #expect(try await GamesSupport.count("SELECT COUNT(*) FROM game_plays", on: server) == 40)
            // Nonces stay gapless per account: 10 plays each, nonces 0–9.
            #expect(try await GamesSupport.count(
                "SELECT COUNT(*) FROM (SELECT account_id FROM game_plays GROUP BY account_id HAVING MAX(nonce) = 9 AND COUNT(DISTINCT nonce) = 10) AS full_days",
                on: server
            ) == 4)
            let list = try await server.send("GET", "/v1/games", token: tokens[0])
            let prizes = list.json["data"]?.arrayValue?.first?["prizes"]?.arrayValue ?? []
            #expect(prizes.map { $0["available"]?.boolValue } == [false, true])
            #expect(prizes.map { $0["probability"] } == [.int(0), .int(1)])
        } catch { Issue.record(error) }
        await server.stop()
    }

    @Test("a game whose every prize is out of the draw answers 409 sold_out and uses no nonce")
    func nothingLeft() async throws {
        let content = try GamesSupport.content([
            "empty.json": GamesSupport.drawGame(id: "game_empty", prizes: [("Coupon", 1, "missing-campaign")]),
        ])
        defer { GamesSupport.remove(content) }
        let server = try await InProcessApp(contentDirectory: content)
        do {
            let (token, _) = try await server.signUp()
            let play = try await play(server, token, "game_empty")
            #expect(play.status == 409)
            #expect(play.code == "sold_out")
            let fairness = try await server.send("GET", "/v1/games/game_empty/fairness", token: token)
            #expect(fairness.json["next_nonce"]?.intValue == 0)
        } catch { Issue.record(error) }
        await server.stop()
    }
}
