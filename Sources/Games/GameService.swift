import Core
import Coupons
import Foundation
import Storage

/// A game as one caller sees it in `GET /v1/games`.
public struct GameListing: Sendable {
    public var game: GameDefinition
    /// Plays left today in the deployment's time zone; `nil` for pets.
    public var playsLeftToday: Int64?
    /// Every prize of the caller's prize table in file order, with the odds that apply to this caller now.
    public var odds: [PrizeOdds]
    /// The experiment variant whose own prize table the odds are of; `nil` for the game file's `prizes`.
    public var prizeTable: String?
}

/// A prize and its current chance for one caller.
public struct PrizeOdds: Sendable {
    public var prize: Prize
    /// `false` when the prize is out of the draw (campaign missing, not running, no budget, or limit reached).
    public var available: Bool
    /// weight ÷ total weight of the prizes in the draw; 0 when out.
    public var probability: Double
}

/// The commitment to a caller's current seed for one game.
public struct SeedCommitment: Sendable, Equatable {
    public var serverSeedHash: String
    public var nextNonce: Int64
}

/// The answer to a seed rotation: the old seed revealed and the new one committed to.
public struct SeedRotation: Sendable, Equatable {
    public var revealedServerSeed: String
    public var revealedServerSeedHash: String
    public var serverSeedHash: String
}

/// Mini-games that award coupons (API.md §8): listings, provably fair draws, seed rotation and pets.
///
/// Writes run inside one transaction each: a play, its nonce increment and its coupon commit or roll back together.
public final class GameService: Sendable {
    /// Every game, in file-name order.
    public let games: [GameDefinition]
    let byID: [String: GameDefinition]
    let database: Database
    let clock: any WallClock
    let ids: IDGenerator
    /// Days for daily limits, in the deployment's time zone.
    public let window: DailyWindow
    /// The variants of the experiments that game files name; without it every game draws from its own `prizes`.
    let experiments: (any ExperimentVariants)?

    public init(
        database: Database, clock: any WallClock, ids: IDGenerator, games: [GameDefinition], window: DailyWindow,
        experiments: (any ExperimentVariants)? = nil
    ) {
        self.games = games
        self.experiments = experiments
        self.byID = Dictionary(games.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.database = database
        self.clock = clock
        self.ids = ids
        self.window = window
    }

    /// Loads the games from `contentDirectory/games` and the time zone from `BASAR_TIME_ZONE`.
    ///
    /// - Throws: `GameContentError` naming the file and field of a malformed game, or the unknown time zone.
    public convenience init(
        database: Database, clock: any WallClock, ids: IDGenerator, contentDirectory: URL,
        experiments: (any ExperimentVariants)? = nil
    ) throws {
        let games = try GameCatalog.load(from: contentDirectory.appendingPathComponent("games"))
        self.init(
            database: database, clock: clock, ids: ids, games: games, window: try DailyWindow.fromEnvironment(),
            experiments: experiments
        )
    }

    /// The game with `id`.
    /// - Throws: `404 not_found`.
    public func game(_ id: String) throws -> GameDefinition {
        guard let game = byID[id] else { throw GameError.gameNotFound(id) }
        return game
    }

    var now: Int64 { clock.now().epochSeconds }

    // MARK: - Listing

    /// Every game with the caller's plays left today and the odds that apply to them now — of the prize table the
    /// caller's experiment variant draws from, which is where the caller is exposed to it (an exposure logged only
    /// at the play would let the odds shown decide who is counted, and tilt the sample ratio).
    public func listings(for accountID: String) async throws -> [GameListing] {
        let now = self.now
        let games = self.games
        let day = window.day(containing: now)
        let (listings, exposures) = try await database.read { db in
            var exposures: [ExperimentVariant] = []
            let listings = try games.map { game in
                var left: Int64?
                if let limit = game.dailyLimit {
                    left = max(0, limit - (try GameStore.playCount(accountID, game.id, in: day, db)))
                }
                let (table, variant) = try self.prizeTable(of: game, for: accountID, in: db)
                if let variant, variant.exposurePending { exposures.append(variant) }
                let inDraw = try table.prizes.map { try Self.drawState(of: $0, for: accountID, now: now, in: db) != nil }
                let total = zip(table.prizes, inDraw).reduce(Int64(0)) { $0 + ($1.1 ? $1.0.weight : 0) }
                let odds = zip(table.prizes, inDraw).map { prize, available in
                    PrizeOdds(
                        prize: prize, available: available,
                        probability: available && total > 0 ? Double(prize.weight) / Double(total) : 0
                    )
                }
                return GameListing(game: game, playsLeftToday: left, odds: odds, prizeTable: table.name)
            }
            return (listings, exposures)
        }
        if let experiments, !exposures.isEmpty {
            try await database.write { db in
                for variant in exposures { try experiments.expose(variant, accountID: accountID, now: now, in: db) }
            }
        }
        return listings
    }

    /// How a prize stands for one caller: `nil` when out of the draw, else the campaign it issues from (`""` for a
    /// prize without a coupon).
    ///
    /// A prize is out when its campaign is missing, not active or outside its validity, has no budget left, or the
    /// caller already holds `per_account_limit` of its coupons — so a drawn prize can always be issued.
    static func drawState(of prize: Prize, for accountID: String, now: Int64, in db: any Transaction) throws -> String? {
        guard let key = prize.campaignKey else { return "" }
        return try issuableCampaign(key: key, for: accountID, now: now, in: db)?.id
    }

    /// The campaign with `key` if it can issue a coupon to `accountID` at `now`.
    static func issuableCampaign(key: String, for accountID: String, now: Int64, in db: any Transaction) throws -> Campaign? {
        guard let campaign = try CouponEngine.campaign(key: key, in: db),
              CouponEngine.availability(of: campaign, at: now) == nil, campaign.remainingBudget > 0
        else { return nil }
        let held = try CouponEngine.couponCount(of: campaign.id, heldBy: accountID, in: db)
        return held < campaign.perAccountLimit ? campaign : nil
    }

    /// Issues one coupon of `key`'s campaign if it can; a prize never fails its play.
    static func issueIfPossible(
        key: String, to accountID: String, couponID: String, now: Int64, in db: any Transaction
    ) throws -> Coupon? {
        guard let campaign = try issuableCampaign(key: key, for: accountID, now: now, in: db) else { return nil }
        do {
            return try CouponEngine.issue(
                campaignID: campaign.id, to: accountID, source: .game, id: couponID, now: now, in: db
            )
        } catch is CouponError {
            // Unreachable while the check above runs in the same write transaction; kept so a budget race can
            // only ever cost the coupon, never the play.
            return nil
        }
    }
}
