import Core
import Storage

/// The append-only consent records.
enum ConsentStore {
    /// Appends a record; `seq` orders an account's records of one purpose (the UNIQUE index refuses a duplicate).
    static func append(_ record: ConsentRecord, in db: any Transaction) throws {
        // Two writers must not read the same MAX(seq): the account's row orders them.
        try db.lockOwner(in: "accounts", key: record.accountID)
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
        // Other modules learn of every consent change from the event log, in the change's own transaction.
        try EventLog.append(
            ConsentRecord.changedEvent, stream: EventLog.accountStream(record.accountID), data: record.eventData,
            now: record.createdAt, in: db
        )
    }

    /// The latest record of a purpose: what applies now.
    static func current(_ purpose: ConsentPurpose, of accountID: String, in db: any Transaction) throws -> ConsentRecord? {
        try db.queryOne(
            "SELECT * FROM consent_records WHERE account_id = ? AND purpose = ? ORDER BY seq DESC LIMIT 1",
            accountID, purpose.rawValue
        ).map(record(from:))
    }

    /// ``current(_:of:)`` for many accounts at once; accounts that never answered are left out.
    static func current(_ purpose: ConsentPurpose, of accountIDs: [String], in db: any Transaction) throws -> [String: ConsentRecord] {
        var records: [String: ConsentRecord] = [:]
        for row in try db.query(
            """
            SELECT * FROM consent_records c
            WHERE c.account_id IN (\(db.dialect.jsonArrayValues)) AND c.purpose = ? AND c.seq = (
                SELECT MAX(seq) FROM consent_records WHERE account_id = c.account_id AND purpose = c.purpose)
            """,
            InboxStore.idList(accountIDs), purpose.rawValue
        ) {
            records[row.string("account_id")] = record(from: row)
        }
        return records
    }

    /// Every record, newest first.
    static func history(of accountID: String, in db: any Transaction) throws -> [ConsentRecord] {
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

extension ConsentRecord {
    /// The event every consent record appends to the account's stream. `GET /v1/me/events` does not carry it: it is
    /// not among API.md §13's names, and the stream leaves out every name not listed there.
    public static let changedEvent = "consent.changed"

    /// What `consent.changed` says: the purpose, the answer, its notice and when; no personal text.
    var eventData: JSON {
        [
            "purpose": .string(purpose.rawValue), "granted": .bool(granted),
            "notice_version": noticeVersion.map(JSON.string) ?? .null, "created_at": .int(createdAt),
        ]
    }
}
