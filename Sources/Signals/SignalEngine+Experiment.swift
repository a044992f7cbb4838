import Storage
import Trust

extension SignalEngine {
    /// The rule as it acts for one account: the action of the account's variant when the rule names a running
    /// experiment, else the rule's own. Asked only for an account that would get the item (holdouts and capped
    /// accounts never see a variant, so they are never exposed).
    func acting(_ rule: SignalRule, for account: String, in db: any Transaction) throws -> (rule: SignalRule, variant: ExperimentVariant?) {
        guard let experiment = rule.experiment, let experiments,
              let variant = try experiments.variant(of: experiment.key, for: account, in: db)
        else { return (rule, nil) }
        return (rule.acting(as: variant.key), variant)
    }

    /// Logs the exposure once the variant's item is sent or waits out quiet hours; an item held back for consent or
    /// a setting showed the account nothing, whichever its variant.
    func expose(_ variant: ExperimentVariant?, account: String, after outcome: SendOutcome, now: Int64, in db: any Transaction) throws {
        guard let variant, let experiments else { return }
        switch outcome {
        case .sent, .waiting: try experiments.expose(variant, accountID: account, now: now, in: db)
        case .suppressed: return
        }
    }
}
