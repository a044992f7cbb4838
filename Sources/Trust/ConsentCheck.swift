import Storage

extension InboxService {
    /// Whether the account's latest record for `purpose` grants it: what applies at this moment (API.md §16).
    ///
    /// Call it inside the transaction that acts on the answer, so a withdrawal answered before is always seen.
    /// - Returns: `false` when the account never answered.
    public static func isGranted(_ purpose: ConsentPurpose, for accountID: String, in db: any Transaction) throws -> Bool {
        try ConsentStore.current(purpose, of: accountID, in: db)?.granted ?? false
    }
}
