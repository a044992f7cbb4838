import Core
import Storage

/// What the data export and erasure of API.md §16 need from Support.
extension ConversationService {
    /// Every conversation of the customer, newest first.
    public static func conversations(of accountID: String, in db: Connection) throws -> [Conversation] {
        try db.query(SupportStore.select + " WHERE c.customer_id = ? ORDER BY c.created_at DESC, c.id DESC", accountID)
            .map(SupportStore.conversation(from:))
    }

    /// The customer's texts go: subjects of its conversations and every message it wrote.
    public static func erase(_ accountID: String, in db: Connection) throws {
        try db.run("UPDATE conversations SET subject = '' WHERE customer_id = ?", accountID)
        try db.run("UPDATE conversation_messages SET text = '' WHERE author_id = ?", accountID)
    }
}
