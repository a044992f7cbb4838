import Core
import Foundation
import Storage

/// The one send path (API.md §16): every producer of an inbox item calls it inside its own write transaction, and
/// it decides send, wait or suppress from the settings, the consent and the caps *as committed at this moment* —
/// the single writer (PostgreSQL: the account's row locked first, as consent records and settings changes lock it)
/// means a withdrawal that was answered before is always seen, never overtaken.
public enum SendPath {
    static let waitingJob = "inbox.waiting"
    public static let itemCreated = "inbox.created"

    /// Decides and, when it sends, stores the item and appends `inbox.created` to the account's stream.
    public static func send(
        _ message: OutgoingMessage, ids: IDGenerator, coupons: (any CouponIssuing)? = nil, now: Int64, in db: any Transaction
    ) throws -> SendOutcome {
        let outcome = try withCoupon(decide(message, ids: ids, now: now, in: db), of: message, coupons: coupons, now: now, in: db)
        if case let .sent(item) = outcome {
            try InboxStore.insert(item, in: db)
            try EventLog.append(
                itemCreated, stream: EventLog.accountStream(item.accountID), data: item.json(german: false), now: now, in: db
            )
        }
        try InboxStore.log(try record(outcome, of: message, ids: ids, in: db), now: now, in: db)
        return outcome
    }

    /// A keyed campaign's coupon is issued when its item is sent, never for one held back (API.md §24).
    static func withCoupon(
        _ outcome: SendOutcome, of message: OutgoingMessage, coupons: (any CouponIssuing)?, now: Int64, in db: any Transaction
    ) throws -> SendOutcome {
        guard case var .sent(item) = outcome, let request = message.coupon, let coupons,
              let couponID = try coupons.issue(request, to: message.accountID, now: now, in: db)
        else { return outcome }
        if case let .object(members) = item.data { item.data = .object(members + [("coupon_id", .string(couponID))]) }
        return .sent(item)
    }

    /// Schedules a waiting message and returns the send log's entry for an outcome.
    static func record(_ outcome: SendOutcome, of message: OutgoingMessage, ids: IDGenerator, in db: any Transaction) throws -> SendLogEntry {
        switch outcome {
        case let .sent(item):
            return SendLogEntry(rule: message.rule, accountID: message.accountID, outcome: "sent", itemID: item.id)
        case let .waiting(until):
            // Decided again when the quiet hours end: consent and caps may have changed by then.
            try Scheduler.schedule(waitingJob, key: ids.next("wait"), at: until, data: encode(message), in: db)
            return SendLogEntry(rule: message.rule, accountID: message.accountID, outcome: "waiting", itemID: nil)
        case let .suppressed(reason):
            return SendLogEntry(rule: message.rule, accountID: message.accountID, outcome: reason.rawValue, itemID: nil)
        }
    }

    /// Counts a suppression a producer decided itself (a rule's own cap).
    public static func recordSuppression(_ reason: Suppression, rule: String, accountID: String, now: Int64, in db: any Transaction) throws {
        try InboxStore.log(SendLogEntry(rule: rule, accountID: accountID, outcome: reason.rawValue, itemID: nil), now: now, in: db)
    }

    /// Counts a holdout: a rule decided not to send to a control group, which the counters must show.
    public static func recordHoldout(rule: String, accountID: String, now: Int64, in db: any Transaction) throws {
        try InboxStore.log(
            SendLogEntry(rule: rule, accountID: accountID, outcome: Suppression.holdout.rawValue, itemID: nil), now: now, in: db
        )
    }

    /// Offers count against the weekly cap for this long.
    static let capWindow: Int64 = 7 * 86_400

    static func decide(_ message: OutgoingMessage, ids: IDGenerator, now: Int64, in db: any Transaction) throws -> SendOutcome {
        // PostgreSQL: a withdrawal or settings change in flight is waited for, a later one waits for this send, and
        // two sends to one account count each other's offers against the cap (SQLite's single writer does all that).
        if !message.category.isTransactional { try db.lockOwner(in: "accounts", key: message.accountID) }
        return try decide(
            message, ids: ids, now: now, settings: { try InboxStore.settings(of: message.accountID, in: db) },
            consent: { try ConsentStore.current(.marketing, of: message.accountID, in: db) },
            offersThisWeek: { try InboxStore.offers(of: message.accountID, since: now - capWindow, in: db) }
        )
    }

    /// The decision itself, over facts read when it needs them: one query each for a single send, a lookup in what
    /// ``sendAll(_:ids:coupons:now:in:)`` read for its whole page. One function, so both decide alike.
    static func decide(
        _ message: OutgoingMessage, ids: IDGenerator, now: Int64, settings: () throws -> NotificationSettings,
        consent: () throws -> ConsentRecord?, offersThisWeek: () throws -> Int64
    ) rethrows -> SendOutcome {
        var consentID: String?
        if !message.category.isTransactional {
            let settings = try settings()
            guard settings.allows(message.category) else { return .suppressed(.settingOff) }
            if message.category == .offer {
                guard let consent = try consent(), consent.granted else { return .suppressed(.noConsent) }
                consentID = consent.id
                if let quiet = settings.quietHours,
                   let end = QuietHours.end(
                       containing: now, start: quiet.start, end: quiet.end,
                       zone: TimeZone(identifier: settings.timeZone) ?? CalendarDay.timeZone
                   )
                {
                    return .waiting(until: end)
                }
                guard try offersThisWeek() < Int64(settings.maxOffersPerWeek) else { return .suppressed(.cap) }
            }
        }
        return .sent(InboxItem(
            id: ids.next("ntf"), accountID: message.accountID, category: message.category, title: message.title,
            body: message.body, link: message.link, data: message.data, read: false,
            reason: SendReason(rule: message.rule, consentID: consentID), createdAt: now
        ))
    }

    /// The scheduler's handler for offers that waited out quiet hours.
    public static func deliverWaiting(
        _ job: ScheduledJob, ids: IDGenerator, coupons: (any CouponIssuing)?, now: Int64, in db: any Transaction
    ) throws {
        guard let message = decode(job.data) else { return }
        _ = try send(message, ids: ids, coupons: coupons, now: now, in: db)
    }

    public static var waitingJobKind: String { waitingJob }

    static func encode(_ m: OutgoingMessage) -> JSON {
        [
            "account_id": .string(m.accountID), "category": .string(m.category.rawValue), "rule": .string(m.rule),
            "title": ["en": .string(m.title.en), "de": .string(m.title.de)],
            "body": ["en": .string(m.body.en), "de": .string(m.body.de)], "link": JSON(m.link), "data": m.data,
            "coupon": m.coupon.map { ["campaign_key": .string($0.campaignKey), "source": .string($0.source)] } ?? .null,
        ]
    }

    static func decode(_ json: JSON) -> OutgoingMessage? {
        guard let account = json["account_id"]?.stringValue,
              let category = json["category"]?.stringValue.flatMap(InboxCategory.init(rawValue:)),
              let rule = json["rule"]?.stringValue
        else { return nil }
        func text(_ key: String) -> LocalizedText {
            LocalizedText(en: json[key]?["en"]?.stringValue ?? "", de: json[key]?["de"]?.stringValue ?? "")
        }
        var message = OutgoingMessage(
            accountID: account, category: category, rule: rule, title: text("title"), body: text("body"),
            link: json["link"]?.stringValue, data: json["data"] ?? [:]
        )
        if let key = json["coupon"]?["campaign_key"]?.stringValue, let source = json["coupon"]?["source"]?.stringValue {
            message.coupon = CouponRequest(campaignKey: key, source: source)
        }
        return message
    }
}
