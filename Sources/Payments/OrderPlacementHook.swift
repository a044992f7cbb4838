import Storage

/// What order placement needs from share links and referrals, which sit above Payments on the feature ladder
/// (STYLE.md §2.3): Payments declares it, the Teams module implements it, `API.Services` wires it.
public protocol OrderPlacementHook: Sendable {
    /// The share a `share_code` of `POST /v1/orders` (and its quote) names, inside the checkout transaction.
    ///
    /// - Returns: the share's id.
    /// - Throws: `400` naming `share_code` when no share has that code (API.md §24).
    func shareID(forCode code: String, in db: any Transaction) throws -> String

    /// Called inside the transaction of every placed order (a checkout, a completed team, a won auction), after the
    /// order row exists: records the share the buyer came through and decides a pending referral.
    func orderPlaced(_ order: Order, shareID: String?, now: Int64, in db: any Transaction) throws
}
