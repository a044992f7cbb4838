import Core
import Coupons
import Storage

/// The SQL of seeds, plays and pets.
enum GameStore {
    // MARK: - Draws

    static func playCount(_ accountID: String, _ gameID: String, in day: Range<Int64>, _ db: any Transaction) throws -> Int64 {
        try db.scalar(
            "SELECT COUNT(*) FROM game_plays WHERE account_id = ? AND game_id = ? AND created_at >= ? AND created_at < ?",
            accountID, gameID, day.lowerBound, day.upperBound
        ) ?? 0
    }

    // MARK: - Seeds

    static func seed(_ accountID: String, _ gameID: String, in db: any Transaction) throws -> ServerSeed? {
        guard let row = try db.queryOne(
            "SELECT server_seed, server_seed_hash, next_nonce FROM game_seeds WHERE account_id = ? AND game_id = ?",
            accountID, gameID
        ) else { return nil }
        return ServerSeed(
            seed: Hex.decode(row.string("server_seed")) ?? [], hash: row.string("server_seed_hash"),
            nextNonce: row.int64("next_nonce")
        )
    }

    static func seedCreatedAt(_ accountID: String, _ gameID: String, in db: any Transaction) throws -> Int64? {
        try db.scalar("SELECT created_at FROM game_seeds WHERE account_id = ? AND game_id = ?", accountID, gameID)
    }

    static func insertSeed(_ seed: [UInt8], _ accountID: String, _ gameID: String, now: Int64, in db: any Transaction) throws {
        // Invariant: one current seed per (account, game) — the primary key; a second insert fails.
        try db.run(
            """
            INSERT INTO game_seeds (account_id, game_id, server_seed, server_seed_hash, next_nonce, created_at)
            VALUES (?, ?, ?, ?, 0, ?)
            """,
            accountID, gameID, Hex.encode(seed), FairDraw.commitment(to: seed), now
        )
    }

    /// Keeps a rotated-out seed for verification.
    static func insertRevealedSeed(
        _ old: ServerSeed, _ accountID: String, _ gameID: String, createdAt: Int64, now: Int64, in db: any Transaction
    ) throws {
        try db.run(
            """
            INSERT INTO game_revealed_seeds (server_seed_hash, server_seed, account_id, game_id, plays, created_at,
                revealed_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            old.hash, Hex.encode(old.seed), accountID, gameID, old.nextNonce, createdAt, now
        )
    }

    /// Replaces the current seed with `fresh`, committed to by `hash`, nonce back to 0.
    static func replaceSeed(
        with fresh: [UInt8], hash: String, _ accountID: String, _ gameID: String, now: Int64, in db: any Transaction
    ) throws {
        try db.run(
            """
            UPDATE game_seeds SET server_seed = ?, server_seed_hash = ?, next_nonce = 0, created_at = ?
            WHERE account_id = ? AND game_id = ?
            """,
            Hex.encode(fresh), hash, now, accountID, gameID
        )
    }

    /// - Returns: false when the seed's nonce is no longer `nonce`.
    static func advanceNonce(_ accountID: String, _ gameID: String, from nonce: Int64, in db: any Transaction) throws -> Bool {
        // Invariant: each nonce draws once — the guard on next_nonce, and UNIQUE (server_seed_hash, nonce) on plays.
        try db.run(
            "UPDATE game_seeds SET next_nonce = next_nonce + 1 WHERE account_id = ? AND game_id = ? AND next_nonce = ?",
            accountID, gameID, nonce
        ) == 1
    }

    // MARK: - Plays

    static func insert(_ play: Play, in db: any Transaction) throws {
        try db.run(
            """
            INSERT INTO game_plays (id, account_id, game_id, server_seed_hash, client_seed, nonce, roll, outcome_label,
                prizes_in_draw, prize_table, coupon_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            play.id, play.accountID, play.gameID, play.serverSeedHash, play.clientSeed, play.nonce, play.roll, play.label,
            JSON.array(play.prizesInDraw.map(JSON.string)).serializedString(), play.prizeTable, play.coupon?.id,
            play.createdAt
        )
    }

    /// An account's plays, of one game or all, newest first.
    static func plays(of accountID: String, gameID: String? = nil, in db: any Transaction) throws -> [Play] {
        let rows = if let gameID {
            try db.query(
                "SELECT * FROM game_plays WHERE account_id = ? AND game_id = ? ORDER BY created_at DESC, nonce DESC",
                accountID, gameID
            )
        } else {
            try db.query("SELECT * FROM game_plays WHERE account_id = ? ORDER BY created_at DESC, nonce DESC", accountID)
        }
        return try rows.map { try play(from: $0, in: db) }
    }

    private static func play(from row: Row, in db: any Transaction) throws -> Play {
        let labels = (try? JSONParser.parse(Array(row.string("prizes_in_draw").utf8)))?.arrayValue ?? []
        return Play(
            id: row.string("id"), gameID: row.string("game_id"), accountID: row.string("account_id"),
            label: row.string("outcome_label"),
            coupon: try row.optionalString("coupon_id").flatMap { try CouponEngine.coupon($0, in: db) },
            serverSeedHash: row.string("server_seed_hash"), clientSeed: row.string("client_seed"),
            nonce: row.int64("nonce"), roll: row.string("roll"), prizesInDraw: labels.compactMap(\.stringValue),
            prizeTable: row.optionalString("prize_table"), createdAt: row.int64("created_at")
        )
    }

    // MARK: - Pets

    static func pet(_ accountID: String, _ gameID: String, in db: any Transaction) throws -> StoredPet? {
        try db.queryOne(
            "SELECT level, xp, energy, energy_at FROM pet_states WHERE account_id = ? AND game_id = ?", accountID, gameID
        ).map { StoredPet(level: $0.int64("level"), xp: $0.int64("xp"), energy: $0.int64("energy"), energyAt: $0.int64("energy_at")) }
    }

    static func save(_ pet: StoredPet, _ accountID: String, _ gameID: String, now: Int64, in db: any Transaction) throws {
        // Invariant: one pet per (account, game) — the primary key, and ON CONFLICT updates it in place.
        try db.run(
            """
            INSERT INTO pet_states (account_id, game_id, level, xp, energy, energy_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (account_id, game_id) DO UPDATE SET level = excluded.level, xp = excluded.xp,
                energy = excluded.energy, energy_at = excluded.energy_at, updated_at = excluded.updated_at
            """,
            accountID, gameID, pet.level, pet.xp, pet.energy, pet.energyAt, now
        )
    }

    static func insertPetAction(
        _ action: String, _ cost: PetAction, levelAfter: Int64, couponID: String?, _ accountID: String, _ gameID: String,
        now: Int64, in db: any Transaction
    ) throws {
        // pet_actions.id is INTEGER PRIMARY KEY, SQLite's rowid (PostgreSQL: a bigserial column).
        try db.run(
            """
            INSERT INTO pet_actions (account_id, game_id, action, energy_spent, xp_gained, level_after, coupon_id,
                created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            accountID, gameID, action, cost.energy, cost.xp, levelAfter, couponID, now
        )
    }
}
