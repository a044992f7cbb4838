import Core
import Games
import HTTP

/// API.md §8: mini-games with published odds, provably fair draws and a pet to raise.
///
/// Check order (API.md §12): the game in the path (404) before the body (400) before the domain (409).
enum GameRoutes {
    static func routes(_ s: Services) -> [Route] {
        [
            Route(.GET, "/v1/games", .signedIn) { req in
                let listings = try await s.games.listings(for: req.caller.accountID)
                return .json(200, ["data": .array(listings.map(\.json))])
            },
            Route(.GET, "/v1/games/{id}/fairness", .signedIn) { req in
                .json(200, try await s.games.fairness(gameID: req.parameter("id"), accountID: req.caller.accountID).json)
            },
            Route(.POST, "/v1/games/{id}/fairness/rotate", .signedIn) { req in
                let id = try s.games.game(req.parameter("id")).id
                _ = try req.body(allowed: [])
                return .json(200, try await s.games.rotate(gameID: id, accountID: req.caller.accountID).json)
            },
            Route(.POST, "/v1/games/{id}/plays", .signedIn) { req in
                let id = try s.games.game(req.parameter("id")).id
                let clientSeed = try req.body(allowed: ["client_seed"]).optionalString("client_seed")
                if let clientSeed, !(1...GameService.clientSeedLimit).contains(clientSeed.codePointCount) {
                    throw Failure.invalid("client_seed", "must be 1–\(GameService.clientSeedLimit) characters")
                }
                return HTTPResponse(try await s.games.play(
                    gameID: id, accountID: req.caller.accountID, clientSeed: clientSeed, key: try req.idempotencyKey(),
                    answering: .json { $0.json(now: $0.createdAt) }
                ))
            },
            Route(.GET, "/v1/games/{id}/state", .signedIn) { req in
                .json(200, try await s.games.petState(gameID: req.parameter("id"), accountID: req.caller.accountID).json)
            },
            Route(.POST, "/v1/games/{id}/actions", .signedIn) { req in
                let id = try s.games.game(req.parameter("id")).id
                let action = try req.body(allowed: ["action"]).choice("action", ["feed", "play"])
                let result = try await s.games.act(action, gameID: id, accountID: req.caller.accountID)
                return .json(200, result.json(now: s.clock.now().epochSeconds))
            },
        ]
    }
}
