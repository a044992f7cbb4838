import Core
import Storage

extension SendPath {
    /// The one send path for a page of messages (a host's followers, 500 at a time): the same decisions as
    /// ``send(_:ids:coupons:now:in:)`` for each message in order, with the page's settings, consents and offer counts
    /// read by one query each and its items, events and send-log rows written with multi-row statements.
    ///
    /// It runs inside the caller's write transaction, so, as for a single send, a withdrawal answered before is read
    /// here and never overtaken. A message counts against the weekly cap of later messages of the page to the same
    /// account, as if they had been sent one after the other.
    /// - Parameters:
    ///   - messages: in the order they would be sent one by one.
    ///   - ids: makes the item ids.
    ///   - coupons: issues the coupons of keyed campaigns for the items that are sent.
    ///   - now: the moment of sending.
    /// - Returns: one outcome per message, in order.
    /// - Throws: ``SQLiteError``, or what issuing a coupon throws.
    public static func sendAll(
        _ messages: [OutgoingMessage], ids: IDGenerator, coupons: (any CouponIssuing)? = nil, now: Int64, in db: any Transaction
    ) throws -> [SendOutcome] {
        let controlled = Array(Set(messages.lazy.filter { !$0.category.isTransactional }.map(\.accountID)))
        // PostgreSQL: the page's accounts locked first, as for a single send (SendPath.decide), in one statement.
        try db.lockOwners(in: "accounts", keys: controlled)
        let settings = controlled.isEmpty ? [:] : try InboxStore.settings(of: controlled, in: db)
        let offered = Array(Set(messages.lazy.filter { $0.category == .offer }.map(\.accountID)))
        let consents = offered.isEmpty ? [:] : try ConsentStore.current(.marketing, of: offered, in: db)
        var offers = offered.isEmpty ? [:] : try InboxStore.offers(of: offered, since: now - capWindow, in: db)

        var outcomes: [SendOutcome] = []
        var items: [InboxItem] = []
        var log: [SendLogEntry] = []
        outcomes.reserveCapacity(messages.count)
        items.reserveCapacity(messages.count)
        log.reserveCapacity(messages.count)
        for message in messages {
            let account = message.accountID
            let decided = decide(
                message, ids: ids, now: now, settings: { settings[account] ?? NotificationSettings() },
                consent: { consents[account] }, offersThisWeek: { offers[account] ?? 0 }
            )
            let outcome = try withCoupon(decided, of: message, coupons: coupons, now: now, in: db)
            if case let .sent(item) = outcome {
                items.append(item)
                if item.category == .offer { offers[account, default: 0] += 1 }
            }
            log.append(try record(outcome, of: message, ids: ids, in: db))
            outcomes.append(outcome)
        }
        try InboxStore.insert(items, in: db)
        try EventLog.appendAll(
            items.map { EventLog.Entry(itemCreated, stream: EventLog.accountStream($0.accountID), data: $0.json(german: false)) },
            now: now, in: db
        )
        try InboxStore.log(log, now: now, in: db)
        return outcomes
    }

    /// Counts a holdout for many accounts of one rule (a page of followers), as ``recordHoldout(rule:accountID:now:in:)``.
    public static func recordHoldouts(rule: String, accountIDs: [String], now: Int64, in db: any Transaction) throws {
        try InboxStore.log(
            accountIDs.map { SendLogEntry(rule: rule, accountID: $0, outcome: Suppression.holdout.rawValue, itemID: nil) },
            now: now, in: db
        )
    }
}
