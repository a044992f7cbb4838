import Core
import Storage

/// One row of the send log: what the send path decided about one message.
struct SendLogEntry {
    var rule: String
    var accountID: String
    /// `sent`, `waiting` or a ``Suppression``'s raw value.
    var outcome: String
    var itemID: String?
}

/// The SQL of the inbox, settings and the send log.
enum InboxStore {
    static func insert(_ item: InboxItem, in db: any Transaction) throws {
        try insert([item], in: db)
    }

    /// Many items with multi-row statements (the batch send path).
    static func insert(_ items: [InboxItem], in db: any Transaction) throws {
        try db.insertRows(
            """
            INSERT INTO inbox_items (id, account_id, category, title_en, title_de, body_en, body_de, link, data, read,
                rule, consent_id, created_at) VALUES
            """,
            columns: 13, count: items.count
        ) { i, arguments in
            let item = items[i]
            arguments += [
                item.id, item.accountID, item.category.rawValue, item.title.en, item.title.de, item.body.en, item.body.de,
                item.link, item.data.serializedString(), false, item.reason.rule, item.reason.consentID, item.createdAt,
            ]
        }
    }

    static func items(of accountID: String, unreadOnly: Bool, page: PageRequest, in db: any Transaction) throws -> Page<InboxItem> {
        try Keyset.newestFirst(
            "SELECT * FROM inbox_items", conditions: ["account_id = ?"] + (unreadOnly ? ["read = 0"] : []),
            arguments: [accountID], page: page, in: db, map: item(from:), key: { ($0.createdAt, $0.id) }
        )
    }

    static func all(of accountID: String, in db: any Transaction) throws -> [InboxItem] {
        try db.query("SELECT * FROM inbox_items WHERE account_id = ? ORDER BY created_at DESC, id DESC", accountID)
            .map(item(from:))
    }

    static func item(_ id: String, of accountID: String, in db: any Transaction) throws -> InboxItem? {
        try db.queryOne("SELECT * FROM inbox_items WHERE id = ? AND account_id = ?", id, accountID).map(item(from:))
    }

    static func unreadCount(of accountID: String, in db: any Transaction) throws -> Int64 {
        try db.scalar("SELECT COUNT(*) FROM inbox_items WHERE account_id = ? AND read = 0", accountID) ?? 0
    }

    static func markRead(_ id: String, of accountID: String, in db: any Transaction) throws -> Bool {
        try db.run("UPDATE inbox_items SET read = 1 WHERE id = ? AND account_id = ?", id, accountID) > 0
            || (try item(id, of: accountID, in: db)) != nil
    }

    static func markAllRead(of accountID: String, in db: any Transaction) throws -> Int {
        try db.run("UPDATE inbox_items SET read = 1 WHERE account_id = ? AND read = 0", accountID)
    }

    /// Offers sent to an account since `since` (the weekly cap).
    /// Items created before `cutoff` (retention).
    static func countItems(before cutoff: Int64, in db: any Transaction) throws -> Int64 {
        try db.scalar("SELECT COUNT(*) FROM inbox_items WHERE created_at < ?", cutoff) ?? 0
    }

    static func deleteItems(before cutoff: Int64, in db: any Transaction) throws {
        try db.run("DELETE FROM inbox_items WHERE created_at < ?", cutoff)
    }

    static func offers(of accountID: String, since: Int64, in db: any Transaction) throws -> Int64 {
        try db.scalar(
            "SELECT COUNT(*) FROM inbox_items WHERE account_id = ? AND category = 'offer' AND created_at > ?", accountID, since
        ) ?? 0
    }

    /// ``offers(of:since:)`` for many accounts at once; accounts without offers are left out.
    static func offers(of accountIDs: [String], since: Int64, in db: any Transaction) throws -> [String: Int64] {
        var counts: [String: Int64] = [:]
        for row in try db.query(
            """
            SELECT account_id, COUNT(*) AS n FROM inbox_items
            WHERE account_id IN (\(db.dialect.jsonArrayValues)) AND category = 'offer' AND created_at > ?
            GROUP BY account_id
            """,
            idList(accountIDs), since
        ) {
            counts[row.string("account_id")] = row.int64("n")
        }
        return counts
    }

    /// A list of ids as one argument, for `IN (SELECT value FROM json_each(?))`: one cached statement whatever the
    /// number of ids (SQLite's JSON1; PostgreSQL: `= ANY(?::text[])`).
    static func idList(_ ids: [String]) -> String {
        JSON.array(ids.map(JSON.string)).serializedString()
    }

    static func item(from row: Row) -> InboxItem {
        InboxItem(
            id: row.string("id"), accountID: row.string("account_id"),
            category: InboxCategory(rawValue: row.string("category")) ?? .order,
            title: LocalizedText(en: row.string("title_en"), de: row.string("title_de")),
            body: LocalizedText(en: row.string("body_en"), de: row.string("body_de")), link: row.optionalString("link"),
            data: (try? JSONParser.parse(Array(row.string("data").utf8))) ?? [:], read: row.bool("read"),
            reason: SendReason(rule: row.string("rule"), consentID: row.optionalString("consent_id")),
            createdAt: row.int64("created_at")
        )
    }

    // MARK: - Settings

    static func settings(of accountID: String, in db: any Transaction) throws -> NotificationSettings {
        try db.queryOne("SELECT * FROM notification_settings WHERE account_id = ?", accountID).map(settings(from:))
            ?? NotificationSettings()
    }

    /// The stored settings of many accounts; an account without a row has the defaults.
    static func settings(of accountIDs: [String], in db: any Transaction) throws -> [String: NotificationSettings] {
        var settings: [String: NotificationSettings] = [:]
        for row in try db.query(
            "SELECT * FROM notification_settings WHERE account_id IN (\(db.dialect.jsonArrayValues))",
            idList(accountIDs)
        ) {
            settings[row.string("account_id")] = Self.settings(from: row)
        }
        return settings
    }

    static func settings(from row: Row) -> NotificationSettings {
        var settings = NotificationSettings()
        settings.live = row.bool("live")
        settings.social = row.bool("social")
        settings.feedback = row.bool("feedback")
        if let start = row.optionalInt64("quiet_start"), let end = row.optionalInt64("quiet_end") {
            settings.quietHours = (Int(start), Int(end))
        } else {
            settings.quietHours = nil
        }
        settings.timeZone = row.string("time_zone")
        settings.maxOffersPerWeek = row.int("max_offers_per_week")
        return settings
    }

    static func save(_ s: NotificationSettings, of accountID: String, in db: any Transaction) throws {
        try db.run(
            """
            INSERT INTO notification_settings (account_id, live, social, feedback, quiet_start, quiet_end, time_zone,
                max_offers_per_week)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (account_id) DO UPDATE SET live = excluded.live, social = excluded.social,
                feedback = excluded.feedback, quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end,
                time_zone = excluded.time_zone, max_offers_per_week = excluded.max_offers_per_week
            """,
            accountID, s.live, s.social, s.feedback, s.quietHours.map { Int64($0.start) }, s.quietHours.map { Int64($0.end) },
            s.timeZone, Int64(s.maxOffersPerWeek)
        )
    }

    // MARK: - Send log

    static func log(_ entry: SendLogEntry, now: Int64, in db: any Transaction) throws {
        try log([entry], now: now, in: db)
    }

    static func log(_ entries: [SendLogEntry], now: Int64, in db: any Transaction) throws {
        try db.insertRows(
            "INSERT INTO send_log (rule, account_id, outcome, item_id, created_at) VALUES", columns: 5, count: entries.count
        ) { i, arguments in
            let entry = entries[i]
            arguments += [entry.rule, entry.accountID, entry.outcome, entry.itemID, now]
        }
    }

    /// Outcomes of one rule: `sent`, each suppression, `waiting` (ever).
    static func outcomes(of rule: String, in db: any Transaction) throws -> [String: Int64] {
        var counts: [String: Int64] = [:]
        for row in try db.query("SELECT outcome, COUNT(*) AS n FROM send_log WHERE rule = ? GROUP BY outcome", rule) {
            counts[row.string("outcome")] = row.int64("n")
        }
        return counts
    }

    /// Items of a rule waiting for quiet hours to end now (the job's data read by ``SQLDialect/jsonText(_:key:)``).
    static func waiting(rule: String, in db: any Transaction) throws -> Int64 {
        try db.scalar(
            "SELECT COUNT(*) FROM scheduled_jobs WHERE kind = ? AND \(db.dialect.jsonText("data", key: "rule")) = ?",
            SendPath.waitingJob, rule
        ) ?? 0
    }

    /// Accounts that got an item of `rule`, with the time of their first one.
    static func recipients(of rule: String, in db: any Transaction) throws -> [(accountID: String, at: Int64)] {
        try db.query(
            "SELECT account_id, MIN(created_at) AS at FROM send_log WHERE rule = ? AND outcome = 'sent' GROUP BY account_id", rule
        ).map { ($0.string("account_id"), $0.int64("at")) }
    }

    static func deleteSettings(of accountID: String, in db: any Transaction) throws {
        try db.run("DELETE FROM notification_settings WHERE account_id = ?", accountID)
    }
}
