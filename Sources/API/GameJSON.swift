import Core
import Games

extension GameListing {
    /// One entry of `GET /v1/games` (API.md §8, §12): odds as they apply to the caller now.
    var json: JSON {
        [
            "id": .string(game.id), "kind": .string(game.kind.rawValue), "title": .string(game.title),
            "description": .string(game.description), "plays_left_today": JSON(playsLeftToday),
            "prize_table": JSON(prizeTable),
            "prizes": .array(odds.map { odds in
                [
                    "label": .string(odds.prize.label), "weight": .int(odds.prize.weight),
                    "probability": .double(odds.probability), "available": .bool(odds.available),
                ]
            }),
        ]
    }
}

extension SeedCommitment {
    var json: JSON { ["server_seed_hash": .string(serverSeedHash), "next_nonce": .int(nextNonce)] }
}

extension SeedRotation {
    var json: JSON {
        [
            "revealed_server_seed": .string(revealedServerSeed),
            "revealed_server_seed_hash": .string(revealedServerSeedHash),
            "server_seed_hash": .string(serverSeedHash),
        ]
    }
}

extension Play {
    /// The answer of `POST /v1/games/{id}/plays`.
    func json(now: Int64) -> JSON {
        [
            "id": .string(id), "game_id": .string(gameID),
            "outcome": ["label": .string(label), "coupon": coupon.map { $0.json(now: now) } ?? .null],
            "fairness": [
                "server_seed_hash": .string(serverSeedHash), "client_seed": .string(clientSeed), "nonce": .int(nonce),
                "prize_table": JSON(prizeTable),
            ],
            "created_at": .string(Timestamp.format(epochSeconds: createdAt)),
        ]
    }
}

extension PetState {
    var json: JSON {
        [
            "level": .int(level), "xp": .int(xp), "xp_to_next_level": .int(xpToNextLevel), "energy": .int(energy),
            "max_energy": .int(maxEnergy),
            "energy_refill_at": energyRefillAt.map { .string(Timestamp.format(epochSeconds: $0)) } ?? .null,
        ]
    }
}

extension PetActionResult {
    func json(now: Int64) -> JSON {
        ["state": state.json, "coupon": coupon.map { $0.json(now: now) } ?? .null]
    }
}
