import Core
import Foundation
import Games
import Testing
import TestSupport

/// The shipped kitten: 10 energy, one point back every 600 s; feed costs 1 for 10 XP, play costs 3 for 35 XP;
/// levels at 50, 120, 220, … XP; level coupons from `kitten-level`.
@Suite("The kitten: energy that refills with time and a coupon for each level reached")
struct PetTests {
    func act(_ server: some TestApp, _ token: String, _ action: String) async throws -> TestResponse {
        try await server.send("POST", "/v1/games/game_kitten/actions", json: ["action": .string(action)], token: token)
    }

    func state(_ server: some TestApp, _ token: String) async throws -> JSON {
        try await server.send("GET", "/v1/games/game_kitten/state", token: token).json
    }

    @Test("energy is spent, refills lazily with the moved clock, and runs out with 409 not_enough_energy")
    func energyRefill() async throws {
        let start = GamesSupport.utc("2026-05-01T10:00:00Z")
        let clock = ManualClock(start)
        let server = try await InProcessApp(clock: clock)
        do {
            let (token, _) = try await server.signUp()
            let fresh = try await server.send("GET", "/v1/games/game_kitten/state", token: token)
            #expect(fresh.status == 200)
            #expect(fresh.json == [
                "level": 1, "xp": 0, "xp_to_next_level": 50, "energy": 10, "max_energy": 10, "energy_refill_at": nil,
            ])
            let played = try await act(server, token, "play")
            #expect(played.status == 200)
            #expect(played.json["coupon"] == .null)
            #expect(played.json["state"]?["energy"]?.intValue == 7)
            #expect(played.json["state"]?["xp"]?.intValue == 35)
            #expect(played.json["state"]?["energy_refill_at"]?.stringValue == "2026-05-01T10:30:00Z")
            let fed = try await act(server, token, "feed")
            #expect(fed.json["state"]?["energy"]?.intValue == 6)
            #expect(fed.json["state"]?["xp"]?.intValue == 45)
            // 599 s: no point back yet; 600 s: one point.
            clock.advance(by: 599)
            #expect(try await state(server, token)["energy"]?.intValue == 6)
            clock.advance(by: 1)
            #expect(try await state(server, token)["energy"]?.intValue == 7)
            // Spend everything: 7 → 4 → 1 → 0, then both actions are refused.
            for action in ["play", "play", "feed"] { #expect(try await act(server, token, action).status == 200) }
            let empty = try await act(server, token, "feed")
            #expect(empty.status == 409)
            #expect(empty.code == "not_enough_energy")
            let snapshot = try await state(server, token)
            #expect(snapshot["energy"]?.intValue == 0)
            // Partial progress towards the next point survives spending: the refill moment is exact.
            let refillAt = try #require(snapshot["energy_refill_at"]?.stringValue.flatMap(Timestamp.parse))
            clock.set(refillAt.addingTimeInterval(-1))
            #expect(try await state(server, token)["energy"]?.intValue == 9)
            clock.set(refillAt)
            let full = try await state(server, token)
            #expect(full["energy"]?.intValue == 10)
            #expect(full["energy_refill_at"] == .null)
            clock.advance(by: 86_400)
            #expect(try await state(server, token)["energy"]?.intValue == 10)
            #expect(try await act(server, token, "play").json["state"]?["energy"]?.intValue == 7)
        } catch { Issue.record(error) }
        await server.stop()
    }

    @Test("each level reached issues one coupon in the same transaction; levels get harder; limits hold")
    func levelUps() async throws {
        let clock = ManualClock(GamesSupport.utc("2026-05-01T10:00:00Z"))
        let server = try await InProcessApp(clock: clock)
        do {
            let campaignID = try await GamesSupport.campaign("kitten-level", perAccountLimit: 2, on: server)
            let (token, accountID) = try await server.signUp()
            var levelUps: [(level: Int64, coupon: JSON)] = []
            var level: Int64 = 1
            var needs: [Int64] = []
            // Bounded: at most 60 actions (each play earns 35 XP; level 4 needs 220 XP).
            for _ in 0..<60 where level < 4 {
                let response = try await act(server, token, "play")
                if response.code == "not_enough_energy" {
                    clock.advance(by: 1800)
                    continue
                }
                try #require(response.status == 200, "\(response.text)")
                let reached = try #require(response.json["state"]?["level"]?.intValue)
                if reached > level {
                    levelUps.append((reached, try #require(response.json["coupon"])))
                    needs.append(try #require(response.json["state"]?["xp"]?.intValue)
                        + (response.json["state"]?["xp_to_next_level"]?.intValue ?? 0))
                } else {
                    #expect(response.json["coupon"] == .null)
                }
                level = reached
            }
            #expect(levelUps.map(\.level) == [2, 3, 4])
            // per_account_limit 2: the first two levels pay out, the third still counts but brings no coupon.
            #expect(levelUps[0].coupon["campaign_id"]?.stringValue == campaignID)
            #expect(levelUps[0].coupon["source"]?.stringValue == "game")
            #expect(levelUps[1].coupon["status"]?.stringValue == "available")
            #expect(levelUps[2].coupon == .null)
            #expect(needs == [120, 220, 360])
            #expect(try await GamesSupport.count(
                "SELECT COUNT(*) FROM coupons WHERE account_id = ? AND campaign_id = ?", accountID, campaignID, on: server
            ) == 2)
            #expect(try await GamesSupport.count(
                "SELECT COUNT(*) FROM pet_actions WHERE account_id = ? AND coupon_id IS NOT NULL", accountID, on: server
            ) == 2)
            let coupons = try await server.send("GET", "/v1/coupons", token: token)
            #expect(coupons.json["data"]?.arrayValue?.count == 2)
        } catch { Issue.record(error) }
        await server.stop()
    }

    @Test("pet routes: 404 unknown, 409 invalid_state on a wheel, 400 for a bad action, 401 without a token")
    func errors() async throws {
        let server = try await InProcessApp()
        do {
            let (token, _) = try await server.signUp()
            #expect(try await server.send("GET", "/v1/games/game_kitten/state").status == 401)
            #expect(try await server.send("GET", "/v1/games/game_nope/state", token: token).status == 404)
            #expect(try await server.send("POST", "/v1/games/game_nope/actions", json: ["action": "nap"], token: token).status == 404)
            let wheelState = try await server.send("GET", "/v1/games/game_wheel/state", token: token)
            #expect(wheelState.status == 409)
            #expect(wheelState.code == "invalid_state")
            let wheelAction = try await server.send("POST", "/v1/games/game_wheel/actions", json: ["action": "feed"], token: token)
            #expect(wheelAction.code == "invalid_state")
            let bad = try await server.send("POST", "/v1/games/game_kitten/actions", json: ["action": "nap"], token: token)
            #expect(bad.status == 400)
            #expect(bad.json["errors"]?.arrayValue?.first?["field"]?.stringValue == "action")
            #expect(try await server.send("POST", "/v1/games/game_kitten/actions", json: [:], token: token).status == 400)
        } catch { Issue.record(error) }
        await server.stop()
    }
}
