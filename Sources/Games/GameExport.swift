import Storage

extension GameService {
    /// Every play of an account, newest first (its data export, API.md §16).
    public static func plays(of accountID: String, in db: any Transaction) throws -> [Play] {
        try GameStore.plays(of: accountID, in: db)
    }
}
