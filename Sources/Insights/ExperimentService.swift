import Core
import Storage
import Trust

/// Experiments of API.md §21: admin CRUD, assignment by the FNV-1a rule, exposures only with the `analytics`
/// consent, and results with the Wilson interval and the sample-ratio check.
public final class ExperimentService: Sendable {
    /// A conversion counts within 7 days after the first exposure (both ends included, as the signal counters do).
    public static let conversionWindowSeconds: Int64 = 7 * 86_400

    private let database: Database
    private let clock: any WallClock
    private let ids: IDGenerator

    public init(database: Database, clock: any WallClock, ids: IDGenerator) {
        self.database = database
        self.clock = clock
        self.ids = ids
    }

    /// A validated draft; the API checks the fields' shapes and rules first.
    public struct Draft: Sendable {
        public var key: String
        public var description: String?
        public var variants: [Experiment.Variant]

        public init(key: String, description: String?, variants: [Experiment.Variant]) {
            self.key = key
            self.description = description
            self.variants = variants
        }
    }

    /// Creates a running experiment with a fresh salt, committed by its SHA-256.
    /// - Throws: `409 key_taken`.
    public func create(_ draft: Draft) async throws -> Experiment {
        let salt = ExperimentAssignment.newSalt()
        let experiment = Experiment(
            id: ids.next("exp"), key: draft.key, description: draft.description, variants: draft.variants,
            status: .running, salt: salt, saltHash: ExperimentAssignment.commitment(of: salt),
            createdAt: clock.now().epochSeconds, stoppedAt: nil
        )
        guard try await database.write({ db in try ExperimentStore.insert(experiment, in: db) }) else {
            throw InsightsError.keyTaken(draft.key)
        }
        return experiment
    }

    /// - Throws: `404` for an unknown key.
    public func experiment(_ key: String) async throws -> Experiment {
        guard let experiment = try await database.lookup({ db in try ExperimentStore.experiment(key: key, in: db) }) else {
            throw InsightsError.experimentNotFound(key)
        }
        return experiment
    }

    public func experiments(page: PageRequest) async throws -> Page<Experiment> {
        try await database.read { db in try ExperimentStore.experiments(page: page, in: db) }
    }

    /// Stops the experiment and reveals its salt.
    /// - Throws: `404` for an unknown key, `409 invalid_state` when it is already stopped.
    public func stop(_ key: String) async throws -> Experiment {
        let now = clock.now().epochSeconds
        return try await database.write { db in
            guard try ExperimentStore.stop(key: key, now: now, in: db) else {
                if try ExperimentStore.experiment(key: key, in: db) == nil { throw InsightsError.experimentNotFound(key) }
                throw InsightsError.alreadyStopped(key)
            }
            guard let experiment = try ExperimentStore.experiment(key: key, in: db) else { throw InsightsError.experimentNotFound(key) }
            return experiment
        }
    }

    /// The caller's variant. With the `analytics` consent the first call while the experiment runs logs the
    /// exposure; without it the answer is the first variant and nothing is logged (API.md §21). After the stop the
    /// assignment is still answered and nothing is logged (§24).
    ///
    /// - Throws: `404` for an unknown key.
    public func assignment(_ key: String, for accountID: String) async throws -> ExperimentAssignmentAnswer {
        let decision = try await database.lookup { db in
            guard let experiment = try ExperimentStore.experiment(key: key, in: db) else {
                throw InsightsError.experimentNotFound(key)
            }
            return try Self.decision(experiment, for: accountID, in: db)
        }
        guard decision.logs else { return ExperimentAssignmentAnswer(key: key, variant: decision.variant, logged: false) }
        let now = clock.now().epochSeconds
        return try await database.write { db in
            // Decided again where the exposure is written: a withdrawal or a stop answered before this is always seen.
            guard let experiment = try ExperimentStore.experiment(key: key, in: db) else {
                throw InsightsError.experimentNotFound(key)
            }
            let current = try Self.decision(experiment, for: accountID, in: db)
            let logged = try current.logs
                && ExperimentStore.recordExposure(experiment.id, accountID: accountID, variant: current.variant, now: now, in: db)
            return ExperimentAssignmentAnswer(key: key, variant: current.variant, logged: logged)
        }
    }

    /// The one decision behind every assignment — `GET /v1/me/experiments/{key}` and the signal rules and game files
    /// that name an experiment: without the `analytics` consent the first variant and nothing to log (§21); with it
    /// the FNV-1a variant, to be logged while the experiment runs and no exposure is logged yet.
    static func decision(_ experiment: Experiment, for accountID: String, in db: any Transaction) throws -> (variant: String, logs: Bool) {
        guard try InboxService.isGranted(.analytics, for: accountID, in: db) else { return (experiment.variants[0].key, false) }
        let logs = try experiment.status == .running && !ExperimentStore.hasExposure(experiment.id, accountID: accountID, in: db)
        return (experiment.variant(for: accountID).key, logs)
    }

    /// Results per variant, in the experiment's variant order, on one snapshot.
    /// - Throws: `404` for an unknown key.
    public func results(_ key: String) async throws -> ExperimentResults {
        try await database.read { db in
            guard let experiment = try ExperimentStore.experiment(key: key, in: db) else {
                throw InsightsError.experimentNotFound(key)
            }
            let figures = try ExperimentStore.figures(of: experiment.id, in: db)
            let variants = experiment.variants.map { variant in
                let f = figures[variant.key] ?? (0, 0, 0)
                return VariantResult(key: variant.key, exposed: f.exposed, converted: f.converted, revenueCents: f.revenue)
            }
            return ExperimentResults(
                key: key, variants: variants,
                srmPValue: ExperimentStatistics.srmPValue(observed: variants.map(\.exposed), weights: experiment.variants.map(\.weight))
            )
        }
    }

    // MARK: - Export

    /// The account's exposures, newest first, inside the caller's read transaction (the data export).
    public static func exposures(of accountID: String, in db: any Transaction) throws -> [ExperimentExposure] {
        try ExperimentStore.exposures(of: accountID, in: db)
    }

    /// Erasure (API.md §16): the account's exposures go. They are analytics given with consent, not records the law
    /// asks Basar to keep, so the results of every experiment, stopped ones too, no longer count the account.
    public static func erase(_ accountID: String, in db: any Transaction) throws {
        try ExperimentStore.deleteExposures(of: accountID, in: db)
    }
}
