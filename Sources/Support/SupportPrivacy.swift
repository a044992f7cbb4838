import Core
import Storage

/// What the data export and erasure of API.md §16 need from Support.
extension ConversationService {
    /// Every conversation of the customer, newest first.
    public static func conversations(of accountID: String, in db: any Transaction) throws -> [Conversation] {
        try SupportStore.conversations(ofCustomer: accountID, in: db)
    }

    /// The customer's texts go: subjects of its conversations and every message it wrote.
    public static func erase(_ accountID: String, in db: any Transaction) throws {
        try SupportStore.eraseTexts(of: accountID, in: db)
    }
}
