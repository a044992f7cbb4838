import Accounts
import Core
import Storage

/// What the data export and erasure of API.md §16 need from live shopping.
extension LiveService {
    /// Every chat message an account wrote, newest first.
    public static func messages(of accountID: String, in db: any Transaction) throws -> [ChatMessage] {
        let name = try AccountService.displayName(of: accountID, in: db) ?? ""
        return try LiveStore.messages(writtenBy: accountID, displayName: name, in: db)
    }

    /// Every bid an account placed, newest first.
    public static func bids(of accountID: String, in db: any Transaction) throws -> [PlacedBid] {
        try LiveStore.bids(of: accountID, in: db)
    }

    /// Removes the account's chat texts, also from the sessions' event logs: a replayed `message.created` shows
    /// "Deleted account" and no text (API.md §24), and an `auction.bid` it led shows "Deleted account" as the leader.
    public static func erase(_ accountID: String, in db: any Transaction) throws {
        try LiveStore.eraseMessages(of: accountID, in: db)
        try LiveStore.scrubEvents(of: accountID, in: db)
    }
}
