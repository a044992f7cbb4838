import Storage

/// The experiments' answer to the signal rules and game files that name one (`Content/signals/README.md`,
/// `Content/games/README.md`): the same decision as `GET /v1/me/experiments/{key}`, so a rule's action or a game's
/// prize table and the API never disagree about an account's variant, and the same exposures feed the results.
public struct ExperimentVariantSource: ExperimentVariants {
    public init() {}

    /// A running experiment's variant for the account; a stopped or unknown one gives `nil`, so the content falls
    /// back to its default until someone edits the file (the salt is public after the stop, and the comparison is
    /// over).
    public func variant(of experimentKey: String, for accountID: String, in db: any Transaction) throws -> ExperimentVariant? {
        guard let experiment = try ExperimentStore.experiment(key: experimentKey, in: db), experiment.status == .running else {
            return nil
        }
        let decision = try ExperimentService.decision(experiment, for: accountID, in: db)
        return ExperimentVariant(
            experimentID: experiment.id, experimentKey: experiment.key, key: decision.variant, exposurePending: decision.logs
        )
    }

    public func expose(_ variant: ExperimentVariant, accountID: String, now: Int64, in db: any Transaction) throws {
        guard variant.exposurePending,
              let experiment = try ExperimentStore.experiment(key: variant.experimentKey, in: db),
              experiment.id == variant.experimentID
        else { return }
        // Decided again in the writing transaction: a consent withdrawn or an experiment stopped since is seen.
        let current = try ExperimentService.decision(experiment, for: accountID, in: db)
        guard current.logs else { return }
        _ = try ExperimentStore.recordExposure(experiment.id, accountID: accountID, variant: current.variant, now: now, in: db)
    }
}
