import Core
import Storage

/// A caller's current seed for one game; the seed itself stays secret until rotated.
struct ServerSeed {
    var seed: [UInt8]
    var hash: String
    var nextNonce: Int64
}

extension GameService {
    /// The commitment to the caller's current seed, creating the seed on first use.
    ///
    /// - Throws: `404 not_found` for an unknown game.
    public func fairness(gameID: String, accountID: String) async throws -> SeedCommitment {
        _ = try game(gameID)
        let now = self.now
        return try await database.write { db in
            let seed = try Self.currentSeed(accountID, gameID, now: now, in: db)
            return SeedCommitment(serverSeedHash: seed.hash, nextNonce: seed.nextNonce)
        }
    }

    /// Reveals the caller's current seed and commits to a fresh one whose nonce starts at 0.
    ///
    /// - Throws: `404 not_found` for an unknown game.
    public func rotate(gameID: String, accountID: String) async throws -> SeedRotation {
        _ = try game(gameID)
        let now = self.now
        return try await database.write { db in
            let old = try Self.currentSeed(accountID, gameID, now: now, in: db)
            let created = try db.scalar(
                "SELECT created_at FROM game_seeds WHERE account_id = ? AND game_id = ?", accountID, gameID
            ) ?? now
            try db.run(
                """
                INSERT INTO game_revealed_seeds (server_seed_hash, server_seed, account_id, game_id, plays, created_at,
                    revealed_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
                old.hash, Hex.encode(old.seed), accountID, gameID, old.nextNonce, created, now
            )
            let fresh = SecureRandom.bytes(32)
            let hash = FairDraw.commitment(to: fresh)
            try db.run(
                """
                UPDATE game_seeds SET server_seed = ?, server_seed_hash = ?, next_nonce = 0, created_at = ?
                WHERE account_id = ? AND game_id = ?
                """,
                Hex.encode(fresh), hash, now, accountID, gameID
            )
            return SeedRotation(
                revealedServerSeed: Hex.encode(old.seed), revealedServerSeedHash: old.hash, serverSeedHash: hash
            )
        }
    }

    /// The seed for (account, game), made from 32 bytes of the kernel's CSPRNG the first time it is needed.
    static func currentSeed(_ accountID: String, _ gameID: String, now: Int64, in db: Connection) throws -> ServerSeed {
        if let seed = try storedSeed(accountID, gameID, in: db) { return seed }
        let bytes = SecureRandom.bytes(32)
        try db.run(
            """
            INSERT INTO game_seeds (account_id, game_id, server_seed, server_seed_hash, next_nonce, created_at)
            VALUES (?, ?, ?, ?, 0, ?)
            """,
            accountID, gameID, Hex.encode(bytes), FairDraw.commitment(to: bytes), now
        )
        return ServerSeed(seed: bytes, hash: FairDraw.commitment(to: bytes), nextNonce: 0)
    }

    static func storedSeed(_ accountID: String, _ gameID: String, in db: Connection) throws -> ServerSeed? {
        guard let row = try db.queryOne(
            "SELECT server_seed, server_seed_hash, next_nonce FROM game_seeds WHERE account_id = ? AND game_id = ?",
            accountID, gameID
        ) else { return nil }
        return ServerSeed(
            seed: Hex.decode(row.string("server_seed")) ?? [], hash: row.string("server_seed_hash"),
            nextNonce: row.int64("next_nonce")
        )
    }
}
