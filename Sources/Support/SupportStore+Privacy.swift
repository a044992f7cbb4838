import Core
import Storage

/// The SQL of the data export and erasure (API.md §16).
extension SupportStore {
    /// Every conversation of the customer, newest first.
    static func conversations(ofCustomer accountID: String, in db: any Transaction) throws -> [Conversation] {
        try db.query(select + " WHERE c.customer_id = ? ORDER BY c.created_at DESC, c.id DESC", accountID)
            .map(conversation(from:))
    }

    /// Clears the subjects of the customer's conversations and every message it wrote.
    static func eraseTexts(of accountID: String, in db: any Transaction) throws {
        try db.run("UPDATE conversations SET subject = '' WHERE customer_id = ?", accountID)
        try db.run("UPDATE conversation_messages SET text = '' WHERE author_id = ?", accountID)
    }
}
