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
            let created = try GameStore.seedCreatedAt(accountID, gameID, in: db) ?? now
            try GameStore.insertRevealedSeed(old, accountID, gameID, createdAt: created, now: now, in: db)
            let fresh = SecureRandom.bytes(32)
            let hash = FairDraw.commitment(to: fresh)
            try GameStore.replaceSeed(with: fresh, hash: hash, accountID, gameID, now: now, in: db)
            return SeedRotation(
                revealedServerSeed: Hex.encode(old.seed), revealedServerSeedHash: old.hash, serverSeedHash: hash
            )
        }
    }

    /// The seed for (account, game), made from 32 bytes of the kernel's CSPRNG the first time it is needed.
    static func currentSeed(_ accountID: String, _ gameID: String, now: Int64, in db: any Transaction) throws -> ServerSeed {
        if let seed = try GameStore.seed(accountID, gameID, in: db) { return seed }
        let bytes = SecureRandom.bytes(32)
        try GameStore.insertSeed(bytes, accountID, gameID, now: now, in: db)
        return ServerSeed(seed: bytes, hash: FairDraw.commitment(to: bytes), nextNonce: 0)
    }
}
