import Core
import Social
import Storage
import Trust

/// The signal engine (API.md §17): a consumer of the event log that reacts to what one customer does, with delayed
/// checks in the scheduler (never a scan of carts) and every item through the one send path.
public final class SignalEngine: Sendable {
    public static let consumerName = "signals"
    static let checkJob = "signal.check"
    static let fanoutJob = "signal.fanout"
    static let fanoutPage = 500

    public static let migration = Migration(
        "0900_create_signal_triggers",
        """
        -- Each trigger once, whatever became of it (API.md §24): a cart left alone, a burst of failed logins, a
        -- delayed shipment, a follower of a host who went live.
        CREATE TABLE signal_triggers (
            id INTEGER PRIMARY KEY,
            rule TEXT NOT NULL,
            account_id TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX signal_triggers_by_rule ON signal_triggers(rule);
        """
    )

    /// Followers a fan-out serves ahead of its pages because they were watching: written when the fan-out is
    /// scheduled, walked by its first jobs, passed over by its pages, deleted with its last page.
    public static let servedFirstMigration = Migration(
        "0901_create_signal_fanout_first",
        """
        CREATE TABLE signal_fanout_first (
            event_id INTEGER NOT NULL,
            account_id TEXT NOT NULL,
            PRIMARY KEY (event_id, account_id)
        ) WITHOUT ROWID;
        """
    )

    public let rules: [SignalRule]
    private let ids: IDGenerator
    private let coupons: any CouponIssuing
    /// The variants of the experiments that rules name; without it every rule acts as its file's own action.
    let experiments: (any ExperimentVariants)?
    /// The accounts with an open event stream on this node: a fan-out serves them first.
    private let watching = Mutex<(@Sendable () -> [String])?>(nil)

    public init(rules: [SignalRule], ids: IDGenerator, coupons: any CouponIssuing, experiments: (any ExperimentVariants)? = nil) {
        self.rules = rules
        self.ids = ids
        self.coupons = coupons
        self.experiments = experiments
    }

    public var consumer: EventConsumer {
        let names = Set(rules.flatMap { [$0.trigger.event] + $0.cancelOn })
        // A batch that scheduled a fan-out (due at once) wakes the scheduler when it commits (Scheduler.schedule), so
        // the followers do not wait for its next poll (bench/fanout.sh).
        return EventConsumer(name: Self.consumerName, names: names) { [self] event, db in try handle(event, in: db) }
    }

    /// Followers who are watching (an open account stream) get a host's alert before the pages of everyone else:
    /// they are the ones who see it at once.
    public func serveFirst(_ accounts: @escaping @Sendable () -> [String]) {
        watching.withLock { $0 = accounts }
    }

    /// The delayed checks and the follower fan-out run from the scheduler.
    public func register(on scheduler: Scheduler) {
        scheduler.handle(Self.checkJob) { [self] job, now, db in
            let parts = job.key.split(separator: "|", maxSplits: 1).map(String.init)
            guard parts.count == 2, let rule = rules.first(where: { $0.name == parts[0] }) else { return }
            try fire(rule, account: parts[1], data: job.data, now: now, in: db)
        }
        scheduler.handle(Self.fanoutJob) { [self] job, now, db in
            guard let rule = rules.first(where: { $0.name == job.data["rule"]?.stringValue }),
                  let host = job.data["host_id"]?.stringValue
            else { return }
            let event = job.data["event_id"]?.intValue ?? 0
            if let after = job.data["watching_after"]?.stringValue, let page = job.data["then"] {
                let pageEvent = page["event_id"]?.intValue ?? 0
                let accounts = try SignalStore.servedFirst(pageEvent, after: after, limit: Self.fanoutPage, in: db)
                try fire(rule, accounts: accounts, data: page["event"] ?? [:], now: now, in: db)
                if accounts.count == Self.fanoutPage, let last = accounts.last {
                    try Self.scheduleWatching(rule, after: last, then: page, at: job.dueAt, in: db)
                } else {
                    try Self.scheduleFanoutPage(rule, data: page, at: job.dueAt, in: db)
                }
                return
            }
            let followers = try FollowService.followers(
                of: host, after: job.data["after"]?.stringValue ?? "", limit: Self.fanoutPage, in: db
            )
            let served = try SignalStore.servedFirst(event, among: followers, in: db)
            try fire(rule, accounts: followers.filter { !served.contains($0) }, data: job.data["event"] ?? [:], now: now, in: db)
            if followers.count < Self.fanoutPage { try SignalStore.forgetServedFirst(event, in: db) }
            // Jobs from before pages were chained carry no page number: those were all scheduled at once.
            if followers.count == Self.fanoutPage, let last = followers.last, let page = job.data["page"]?.intValue,
               case let .object(members) = job.data
            {
                let next = members.filter { $0.0 != "after" && $0.0 != "page" } + [("after", .string(last)), ("page", .int(page + 1))]
                try Self.scheduleFanoutPage(rule, data: .object(next), at: job.dueAt, in: db)
            }
        }
    }

    func handle(_ event: DomainEvent, in db: any Transaction) throws {
        let account = Self.account(of: event)
        for rule in rules {
            if rule.cancelOn.contains(event.name), let account {
                try Scheduler.cancel(Self.checkJob, key: "\(rule.name)|\(account)", in: db)
            }
            guard rule.trigger.event == event.name else { continue }
            if let (field, value) = rule.trigger.above, (event.data[field]?.intValue ?? 0) <= value {
                // The condition no longer holds (an emptied cart): a pending check has nothing left to do.
                if let account { try Scheduler.cancel(Self.checkJob, key: "\(rule.name)|\(account)", in: db) }
                continue
            }
            if rule.audience == "followers" {
                try scheduleFanout(rule, event: event, in: db)
                continue
            }
            guard let account else { continue }
            if let count = rule.trigger.count, let within = rule.trigger.withinSeconds {
                // Exactly the count-th within the window: a burst is one trigger, not one per extra event.
                let recent = try SignalStore.count(event.name, stream: event.stream, since: event.createdAt - within, upTo: event.id, in: db)
                guard recent == count else { continue }
            }
            if rule.delaySeconds > 0 {
                try Scheduler.schedule(
                    Self.checkJob, key: "\(rule.name)|\(account)", at: event.createdAt + rule.delaySeconds, data: event.data, in: db
                )
            } else {
                try fire(rule, account: account, data: event.data, now: event.createdAt, in: db)
            }
        }
    }

    /// The first page of followers; each page's job schedules the next one (a keyset walk, so none of them scans),
    /// due at once. Each page thus commits on its own: the writer is never held for a whole audience, the first
    /// followers' items reach their streams while later pages are written, and a crash resumes after the last
    /// committed page without losing or doubling one.
    func scheduleFanout(_ rule: SignalRule, event: DomainEvent, in db: any Transaction) throws {
        guard let host = event.data["host_id"]?.stringValue else { return }
        // The watching followers first: written down now (the pages pass over them), then served 500 a job, each job
        // scheduling the next and the last one the first page — the scheduler runs a batch of due jobs in one
        // transaction, so jobs scheduled all at once would commit together.
        let prefix = EventLog.accountStream("")
        let watching = (watching.withLock { $0 }?() ?? []).map { String($0.dropFirst(prefix.count)) }
        let first = try SignalStore.followers(of: host, among: watching, in: db)
        try SignalStore.markServedFirst(event.id, accounts: first, in: db)
        let page: JSON = [
            "rule": .string(rule.name), "host_id": .string(host), "after": "", "event": event.data,
            "event_id": .int(event.id), "page": 0,
        ]
        if first.isEmpty {
            try Self.scheduleFanoutPage(rule, data: page, at: event.createdAt, in: db)
        } else {
            try Self.scheduleWatching(rule, after: "", then: page, at: event.createdAt, in: db)
        }
    }

    static func scheduleWatching(_ rule: SignalRule, after: String, then page: JSON, at dueAt: Int64, in db: any Transaction) throws {
        let key = "\(rule.name)|\(page["event_id"]?.intValue ?? 0)|watching|\(after)"
        try Scheduler.schedule(fanoutJob, key: key, at: dueAt, data: [
            "rule": .string(rule.name), "host_id": page["host_id"] ?? .null, "watching_after": .string(after), "then": page,
        ], in: db)
    }

    static func scheduleFanoutPage(_ rule: SignalRule, data: JSON, at dueAt: Int64, in db: any Transaction) throws {
        let key = "\(rule.name)|\(data["event_id"]?.intValue ?? 0)|\(data["page"]?.intValue ?? 0)"
        try Scheduler.schedule(fanoutJob, key: key, at: dueAt, data: data, in: db)
    }

    /// The trigger happened: count it, then holdout, cap, and the send path decide.
    func fire(_ rule: SignalRule, account: String, data: JSON, now: Int64, in db: any Transaction) throws {
        try SignalStore.recordTrigger(rule.name, account: account, now: now, in: db)
        if rule.isHoldout(account) {
            try SendPath.recordHoldout(rule: rule.name, accountID: account, now: now, in: db)
            return
        }
        if let cap = rule.cap, try SignalStore.sent(rule.name, to: account, since: now - cap.perSeconds, in: db) >= cap.count {
            try SendPath.recordSuppression(.cap, rule: rule.name, accountID: account, now: now, in: db)
            return
        }
        let (acting, variant) = try acting(rule, for: account, in: db)
        let outcome = try SendPath.send(Self.message(acting, to: account, data: data), ids: ids, coupons: coupons, now: now, in: db)
        try expose(variant, account: account, after: outcome, now: now, in: db)
    }

    /// ``fire(_:account:data:now:in:)`` for a page of distinct accounts (a host's followers): the same triggers,
    /// holdouts, caps and send decisions, written with multi-row statements through ``SendPath/sendAll``.
    func fire(_ rule: SignalRule, accounts: [String], data: JSON, now: Int64, in db: any Transaction) throws {
        try SignalStore.recordTriggers(rule.name, accounts: accounts, now: now, in: db)
        var held: [String] = []
        var messages: [OutgoingMessage] = []
        var variants: [ExperimentVariant?] = []
        // The page's accounts share the trigger's data, so each action's text is filled once per page, not per
        // account (filling was most of the fan-out's time).
        var filled: [String: OutgoingMessage] = [:]
        for account in accounts {
            if rule.isHoldout(account) {
                held.append(account)
            } else if let cap = rule.cap,
                      try SignalStore.sent(rule.name, to: account, since: now - cap.perSeconds, in: db) >= cap.count
            {
                try SendPath.recordSuppression(.cap, rule: rule.name, accountID: account, now: now, in: db)
            } else {
                let (acting, variant) = try acting(rule, for: account, in: db)
                let action = variant?.key ?? ""
                var message = filled[action] ?? Self.message(acting, to: account, data: data)
                filled[action] = message
                message.accountID = account
                messages.append(message)
                variants.append(variant)
            }
        }
        try SendPath.recordHoldouts(rule: rule.name, accountIDs: held, now: now, in: db)
        let outcomes = try SendPath.sendAll(messages, ids: ids, coupons: coupons, now: now, in: db)
        for (message, (variant, outcome)) in zip(messages, zip(variants, outcomes)) {
            try expose(variant, account: message.accountID, after: outcome, now: now, in: db)
        }
    }

    /// The rule's item for one account, its placeholders filled from the trigger's data.
    static func message(_ rule: SignalRule, to account: String, data: JSON) -> OutgoingMessage {
        var message = OutgoingMessage(
            accountID: account, category: rule.category, rule: rule.name,
            title: LocalizedText(en: SignalRule.fill(rule.title.en, data), de: SignalRule.fill(rule.title.de, data)),
            body: LocalizedText(en: SignalRule.fill(rule.body.en, data), de: SignalRule.fill(rule.body.de, data)),
            link: rule.link.map { SignalRule.fill($0, data) }, data: Self.itemData(data)
        )
        message.coupon = rule.coupon
        return message
    }

    /// Ids of what the item is about (API.md §24: an item about an object names its id).
    static func itemData(_ data: JSON) -> JSON {
        guard case let .object(members) = data else { return [:] }
        let keep: Set<String> = ["order_id", "shipment_id", "session_id", "host_id"]
        var out = members.filter { keep.contains($0.0) }
        if let id = data["id"]?.stringValue, id.hasPrefix("shp_") { out.append(("shipment_id", .string(id))) }
        return .object(out)
    }

    static func account(of event: DomainEvent) -> String? {
        if event.stream.hasPrefix("account:") { return String(event.stream.dropFirst("account:".count)) }
        return event.data["account_id"]?.stringValue
    }
}
