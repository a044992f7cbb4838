import Core
import Foundation
import Storage

/// The inbox, notification settings and consents of API.md §16.
public final class InboxService: Sendable {
    private let database: Database
    private let clock: any WallClock
    private let ids: IDGenerator
    /// Each purpose's current notice, read once from `Content/privacy/` at start-up.
    public let notices: [ConsentPurpose: PrivacyNotice]

    public init(database: Database, clock: any WallClock, ids: IDGenerator, privacyDirectory: URL) throws {
        self.database = database
        self.clock = clock
        self.ids = ids
        notices = try Self.loadNotices(from: privacyDirectory)
    }

    // MARK: - Inbox

    public func items(of accountID: String, unreadOnly: Bool, page: PageRequest) async throws -> Page<InboxItem> {
        try await database.read { db in try InboxStore.items(of: accountID, unreadOnly: unreadOnly, page: page, in: db) }
    }

    public func unreadCount(of accountID: String) async throws -> Int64 {
        try await database.read { db in try InboxStore.unreadCount(of: accountID, in: db) }
    }

    /// - Throws: `404` for an item that is not the caller's.
    public func item(_ id: String, of accountID: String) async throws -> InboxItem {
        guard let item = try await database.read({ db in try InboxStore.item(id, of: accountID, in: db) }) else {
            throw TrustError.itemNotFound(id)
        }
        return item
    }

    /// - Throws: `404` for an item that is not the caller's.
    public func markRead(_ id: String, of accountID: String) async throws -> InboxItem {
        try await database.write { db in
            guard try InboxStore.markRead(id, of: accountID, in: db), let item = try InboxStore.item(id, of: accountID, in: db)
            else { throw TrustError.itemNotFound(id) }
            return item
        }
    }

    public func markAllRead(of accountID: String) async throws -> Int {
        try await database.write { db in try InboxStore.markAllRead(of: accountID, in: db) }
    }

    /// Sends one message through the send path in its own transaction (producers inside a transaction call
    /// ``SendPath/send(_:ids:now:in:)`` instead).
    @discardableResult
    public func send(_ message: OutgoingMessage) async throws -> SendOutcome {
        let now = clock.now().epochSeconds
        let ids = self.ids
        return try await database.write { db in try SendPath.send(message, ids: ids, now: now, in: db) }
    }

    // MARK: - Settings

    public func settings(of accountID: String) async throws -> NotificationSettings {
        try await database.read { db in try InboxStore.settings(of: accountID, in: db) }
    }

    /// Applies a change to the stored settings in one transaction.
    public func updateSettings(of accountID: String, _ change: @escaping @Sendable (inout NotificationSettings) -> Void) async throws -> NotificationSettings {
        try await database.write { db in
            // PostgreSQL: two changes must not both read the old settings, and sends order with them (SendPath).
            try db.lockOwner(in: "accounts", key: accountID)
            var settings = try InboxStore.settings(of: accountID, in: db)
            change(&settings)
            try InboxStore.save(settings, of: accountID, in: db)
            return settings
        }
    }

    // MARK: - Consents

    /// Appends a consent record. A withdrawal is never refused; a grant must name the current notice.
    ///
    /// - Throws: `404` for an unknown purpose, `409 notice_outdated` for a grant of another notice version.
    public func setConsent(_ purposeName: String, granted: Bool, noticeVersion: String?, for accountID: String) async throws -> ConsentRecord {
        guard let purpose = ConsentPurpose(rawValue: purposeName) else { throw TrustError.purposeNotFound(purposeName) }
        let current = notices[purpose]?.version ?? "1"
        // GDPR Art. 7(3): withdrawing must be as easy as giving, so only a grant is checked against the notice.
        if granted, noticeVersion != current { throw TrustError.noticeOutdated(current: current) }
        let record = ConsentRecord(
            id: ids.next("cns"), accountID: accountID, purpose: purpose, granted: granted,
            noticeVersion: noticeVersion ?? (granted ? current : nil), createdAt: clock.now().epochSeconds
        )
        try await database.write { db in try ConsentStore.append(record, in: db) }
        return record
    }

    /// The current record per purpose (nil when never answered) and the full history, newest first.
    public func consents(of accountID: String) async throws -> (current: [(ConsentPurpose, ConsentRecord?)], history: [ConsentRecord]) {
        try await database.read { db in
            let current = try ConsentPurpose.allCases.map { ($0, try ConsentStore.current($0, of: accountID, in: db)) }
            return (current, try ConsentStore.history(of: accountID, in: db))
        }
    }

    // MARK: - Export and erasure

    /// What the export needs, inside the caller's read transaction.
    public static func export(of accountID: String, in db: any Transaction) throws -> (items: [InboxItem], consents: [ConsentRecord], settings: NotificationSettings) {
        (try InboxStore.all(of: accountID, in: db), try ConsentStore.history(of: accountID, in: db),
         try InboxStore.settings(of: accountID, in: db))
    }

    /// Erasure: settings go; items and consent records stay under the account id (business letters and the proof
    /// of consent are kept for their retention period and hold no text the customer wrote). Every consent still
    /// granted is withdrawn by an appended record, so nothing is sent on it to an account that asked to be forgotten
    /// (the kept grant alone would still pass the send path's check).
    public static func erase(_ accountID: String, ids: IDGenerator, now: Int64, in db: any Transaction) throws {
        try InboxStore.deleteSettings(of: accountID, in: db)
        for purpose in ConsentPurpose.allCases where try ConsentStore.current(purpose, of: accountID, in: db)?.granted == true {
            try ConsentStore.append(ConsentRecord(
                id: ids.next("cns"), accountID: accountID, purpose: purpose, granted: false, noticeVersion: nil, createdAt: now
            ), in: db)
        }
    }

    // MARK: - Counters

    /// The send path's decisions about one rule, for `GET /v1/admin/signals`.
    public static func counters(of rule: String, in db: any Transaction) throws -> (outcomes: [String: Int64], waiting: Int64, recipients: [(accountID: String, at: Int64)]) {
        (try InboxStore.outcomes(of: rule, in: db), try InboxStore.waiting(rule: rule, in: db),
         try InboxStore.recipients(of: rule, in: db))
    }

    // MARK: - Notices

    static func loadNotices(from folder: URL) throws -> [ConsentPurpose: PrivacyNotice] {
        var notices: [ConsentPurpose: PrivacyNotice] = [:]
        for purpose in ConsentPurpose.allCases {
            let url = folder.appendingPathComponent("\(purpose.rawValue).json")
            guard let data = try? Data(contentsOf: url) else { continue }
            let json = try JSONParser.parse(Array(data))
            func text(_ key: String) -> LocalizedText {
                LocalizedText(en: json[key]?["en"]?.stringValue ?? "", de: json[key]?["de"]?.stringValue ?? "")
            }
            notices[purpose] = PrivacyNotice(
                purpose: purpose, version: json["version"]?.stringValue ?? "1", title: text("title"), text: text("text")
            )
        }
        return notices
    }
}

extension InboxService {
    /// Retention (business letters, 6 years): deletes inbox items created before `cutoff`.
    /// - Returns: how many there are (deleted unless `dryRun`).
    public static func expire(before cutoff: Int64, dryRun: Bool, in db: any Transaction) throws -> Int64 {
        let count = try InboxStore.countItems(before: cutoff, in: db)
        if !dryRun { try InboxStore.deleteItems(before: cutoff, in: db) }
        return count
    }
}
