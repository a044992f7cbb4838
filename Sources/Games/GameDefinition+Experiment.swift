import Core
import Storage

/// An experiment whose variants draw from their own prize tables (`Content/games/README.md`).
public struct PrizeExperiment: Sendable, Equatable {
    /// The experiment's key (`POST /v1/admin/experiments`).
    public var key: String
    /// Prize tables by variant key, each in draw order; a variant not named draws from the game's own `prizes`.
    public var tables: [String: [Prize]]

    public init(key: String, tables: [String: [Prize]]) {
        self.key = key
        self.tables = tables
    }
}

/// The prizes one play draws from, and which table they are: part of what a verifier needs.
public struct PrizeTable: Sendable, Equatable {
    /// The variant whose own table it is; `nil` for the game file's `prizes`.
    public var name: String?
    public var prizes: [Prize]
}

extension GameDefinition {
    /// The table called `name` (`nil`: the game's own `prizes`), as a play names it in `fairness.prize_table`.
    /// - Returns: `nil` when the game has no table of that name.
    public func prizeTable(named name: String?) -> PrizeTable? {
        guard let name else { return PrizeTable(name: nil, prizes: prizes) }
        return experiment?.tables[name].map { PrizeTable(name: name, prizes: $0) }
    }

    /// The table a variant draws from: its own, or the game's `prizes` for a variant without one (the control) and
    /// when no experiment runs (`nil`).
    func prizeTable(for variant: String?) -> PrizeTable {
        variant.flatMap { prizeTable(named: $0) } ?? PrizeTable(name: nil, prizes: prizes)
    }
}

extension GameService {
    /// The table `accountID` draws from in `game`, with the experiment variant that chose it (whose exposure the
    /// caller logs once the table is shown or drawn from).
    func prizeTable(of game: GameDefinition, for accountID: String, in db: any Transaction) throws -> (table: PrizeTable, variant: ExperimentVariant?) {
        guard let key = game.experiment?.key, let experiments,
              let variant = try experiments.variant(of: key, for: accountID, in: db)
        else { return (game.prizeTable(for: nil), nil) }
        return (game.prizeTable(for: variant.key), variant)
    }
}

extension GameCatalog {
    /// Reads `"experiment": {"key", "variants": {"<variant>": {"prizes": [...]}}}`; each table follows the rules of
    /// `prizes`.
    static func prizeExperiment(_ reader: FieldReader) throws -> PrizeExperiment? {
        guard reader.has("experiment") else { return nil }
        let experiment = try reader.object("experiment")
        try experiment.rejectUnknown(allowed: ["key", "variants"])
        let key = try experiment.string("key")
        guard ExperimentKeys.isValid(key) else { throw experiment.error("key", "must be an experiment key: 1–40 of a–z, 0–9 and -") }
        let variants = try experiment.object("variants")
        guard case let .object(entries) = variants.json, !entries.isEmpty else {
            throw experiment.error("variants", "must name at least one variant")
        }
        var tables: [String: [Prize]] = [:]
        for (name, _) in entries {
            guard ExperimentKeys.isValidVariant(name), tables[name] == nil else {
                throw variants.error(name, "must be a variant key, once: 1–40 of a–z, 0–9, _ and -")
            }
            let variant = try variants.object(name)
            try variant.rejectUnknown(allowed: ["prizes"])
            tables[name] = try prizes(variant)
        }
        return PrizeExperiment(key: key, tables: tables)
    }
}
