import Core
import Storage

/// The append-only consent records.
enum ConsentStore {
    /// Appends a record; `seq` orders an account's records of one purpose (the UNIQUE index refuses a duplicate).
    static func append(_ record: ConsentRecord, in db: Connection) throws {
        let seq = (try db.scalar(
            "SELECT MAX(seq) FROM consent_records WHERE account_id = ? AND purpose = ?", record.accountID, record.purpose.rawValue
        ) ?? 0) + 1
        try db.run(
            """
            INSERT INTO consent_records (id, account_id, purpose, granted, notice_version, created_at, seq)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            record.id, record.accountID, record.purpose.rawValue, record.granted, record.noticeVersion, record.createdAt, seq
        )
    }

    /// The latest record of a purpose: what applies now.
    static func current(_ purpose: ConsentPurpose, of accountID: String, in db: Connection) throws -> ConsentRecord? {
        try db.queryOne(
            "SELECT * FROM consent_records WHERE account_id = ? AND purpose = ? ORDER BY seq DESC LIMIT 1",
            accountID, purpose.rawValue
        ).map(record(from:))
    }

    /// ``current(_:of:)`` for many accounts at once; accounts that never answered are left out.
    static func current(_ purpose: ConsentPurpose, of accountIDs: [String], in db: Connection) throws -> [String: ConsentRecord] {
        var records: [String: ConsentRecord] = [:]
        for row in try db.query(
            """
            SELECT * FROM consent_records c
            WHERE c.account_id IN (SELECT value FROM json_each(?)) AND c.purpose = ? AND c.seq = (
                SELECT MAX(seq) FROM consent_records WHERE account_id = c.account_id AND purpose = c.purpose)
            """,
            InboxStore.idList(accountIDs), purpose.rawValue
        ) {
            records[row.string("account_id")] = record(from: row)
        }
        return records
    }

    /// Every record, newest first.
    static func history(of accountID: String, in db: Connection) throws -> [ConsentRecord] {
        try db.query(
            "SELECT * FROM consent_records WHERE account_id = ? ORDER BY created_at DESC, seq DESC, purpose", accountID
        ).map(record(from:))
    }

    static func record(from row: Row) -> ConsentRecord {
        ConsentRecord(
            id: row.string("id"), accountID: row.string("account_id"),
            purpose: ConsentPurpose(rawValue: row.string("purpose")) ?? .marketing, granted: row.bool("granted"),
            noticeVersion: row.optionalString("notice_version"), createdAt: row.int64("created_at")
        )
    }
}
