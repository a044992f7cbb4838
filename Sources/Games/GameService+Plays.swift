import Core
import Coupons
import Storage

/// One play of a wheel or scratch card, as stored and answered.
public struct Play: Sendable, Equatable {
    /// `play_…`.
    public var id: String
    public var gameID: String
    public var accountID: String
    public var label: String
    /// The coupon won, or `nil` for a prize without one.
    public var coupon: Coupon?
    public var serverSeedHash: String
    public var clientSeed: String
    public var nonce: Int64
    /// The 64-bit roll as 16 hex digits.
    public var roll: String
    /// Labels of the prizes that were in the draw, in file order.
    public var prizesInDraw: [String]
    /// The experiment variant whose prize table was drawn from; `nil` for the game file's `prizes`.
    public var prizeTable: String?
    public var createdAt: Int64
}

extension GameService {
    /// Longest accepted client seed, in Unicode code points.
    public static let clientSeedLimit = 256

    /// ``play(gameID:accountID:clientSeed:in:)`` in its own keyed transaction.
    public func play(
        gameID: String, accountID: String, clientSeed: String?, key: IdempotencyKey?, answering: Answering<Play>
    ) async throws -> Keyed<Play> {
        try await database.write(keyed: key, clock: clock, answering: answering) { [self] _, db in
            try play(gameID: gameID, accountID: accountID, clientSeed: clientSeed, in: db)
        }
    }

    /// Plays a wheel or scratch card inside the caller's open write transaction.
    ///
    /// Checks the daily limit, removes the prizes that cannot be issued to this caller from the draw, draws with the
    /// caller's seed and next nonce, issues the coupon through `CouponEngine`, advances the nonce and stores the play.
    /// - Parameters:
    ///   - clientSeed: the player's seed; 16 random hex digits when `nil`.
    /// - Throws: `404` unknown game, `409 invalid_state` for a pet, `409 daily_limit_reached`, `409 sold_out` when
    ///   no prize at all is left in the draw.
    public func play(gameID: String, accountID: String, clientSeed: String?, in db: any Transaction) throws -> Play {
        let game = try game(gameID)
        guard game.isDraw, let limit = game.dailyLimit else { throw GameError.wrongKind(gameID: gameID, kind: game.kind) }
        let now = self.now
        // The daily count, the seed's nonce and the play's insert hold as one step only while no other writer plays
        // for the account: SQLite's single writer; on PostgreSQL the account's row, locked here.
        try db.lockOwner(in: "accounts", key: accountID)
        guard try GameStore.playCount(accountID, gameID, in: window.day(containing: now), db) < limit else {
            throw GameError.dailyLimitReached(limit: limit)
        }
        let (table, variant) = try prizeTable(of: game, for: accountID, in: db)
        let candidates = try table.prizes.compactMap { prize -> (Prize, String)? in
            try Self.drawState(of: prize, for: accountID, now: now, in: db).map { (prize, $0) }
        }
        let seed = try Self.currentSeed(accountID, gameID, now: now, in: db)
        let clientSeed = clientSeed ?? Hex.encode(SecureRandom.bytes(8))
        guard let result = FairDraw.draw(
            serverSeed: seed.seed, clientSeed: clientSeed, nonce: seed.nextNonce, weights: candidates.map(\.0.weight)
        ) else { throw GameError.nothingToWin(gameID) }
        let prize = candidates[result.index].0
        let coupon = try prize.campaignKey.flatMap { key in
            try Self.issueIfPossible(key: key, to: accountID, couponID: ids.next("cpn"), now: now, in: db)
        }
        let advanced = try GameStore.advanceNonce(accountID, gameID, from: seed.nextNonce, in: db)
        precondition(advanced, "the seed row changed inside a write transaction")
        let play = Play(
            id: ids.next("play"), gameID: gameID, accountID: accountID, label: prize.label, coupon: coupon,
            serverSeedHash: seed.hash, clientSeed: clientSeed, nonce: seed.nextNonce, roll: result.rollHex,
            prizesInDraw: candidates.map(\.0.label), prizeTable: table.name, createdAt: now
        )
        try GameStore.insert(play, in: db)
        // A play straight from the API, without the listing first, is an exposure too.
        if let variant, let experiments { try experiments.expose(variant, accountID: accountID, now: now, in: db) }
        return play
    }

    /// The caller's stored plays of a game, newest first (for audits and tests).
    public func plays(gameID: String, accountID: String) async throws -> [Play] {
        try await database.read { db in try GameStore.plays(of: accountID, gameID: gameID, in: db) }
    }
}
