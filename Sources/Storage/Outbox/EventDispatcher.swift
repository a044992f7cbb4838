import Core

/// A reader of the event log with its own durable cursor.
public struct EventConsumer: Sendable {
    public let name: String
    /// Event names it reacts to; the cursor passes over the others.
    public let names: Set<String>
    /// Its effect, in the transaction that also advances its cursor: done exactly once per event, crash or not.
    public let handle: @Sendable (DomainEvent, any Transaction) throws -> Void
    /// The effect of a batch, oldest event first: `handle` for each unless the consumer writes a batch with fewer
    /// statements. A batch that throws is handled again event by event, so one bad event is set aside alone.
    public let handleAll: @Sendable ([DomainEvent], any Transaction) throws -> Void
    /// Work outside the database once the effect committed (waking streams); may run again after a crash.
    public let afterCommit: @Sendable ([DomainEvent]) -> Void

    public init(
        name: String, names: Set<String>, afterCommit: @escaping @Sendable ([DomainEvent]) -> Void = { _ in },
        handle: @escaping @Sendable (DomainEvent, any Transaction) throws -> Void
    ) {
        self.name = name
        self.names = names
        self.handle = handle
        self.handleAll = { events, db in for event in events { try handle(event, db) } }
        self.afterCommit = afterCommit
    }

    /// A consumer that handles a batch at once; a single event is a batch of one.
    public init(
        name: String, names: Set<String>, afterCommit: @escaping @Sendable ([DomainEvent]) -> Void = { _ in },
        handleAll: @escaping @Sendable ([DomainEvent], any Transaction) throws -> Void
    ) {
        self.name = name
        self.names = names
        self.handle = { event, db in try handleAll([event], db) }
        self.handleAll = handleAll
        self.afterCommit = afterCommit
    }
}

/// Feeds the event log to its consumers: each batch of a consumer is one transaction with its cursor, so a crash
/// replays a batch whose transaction did not commit and never skips or repeats one that did.
public final class EventDispatcher: Sendable {
    public static let batchSize = 256

    private let database: Database
    private let consumers: [EventConsumer]
    /// Each consumer's names as the one argument of `EventLog.events(after:upTo:names:…)`.
    private let nameLists: [String]
    private let clock: any WallClock
    private let logger: Logger
    private let loop: Mutex<BackgroundLoop?> = Mutex(nil)
    /// The log position every consumer has passed, so an idle wake-up costs one point read.
    private let passed = Mutex<Int64>(-1)
    /// Where each consumer got to over events it does not take, ahead of its durable cursor: passing them needs no
    /// write. A restart forgets it and scans those events once more, finding nothing to do.
    private let skipped = Mutex<[String: Int64]>([:])
    /// How far a consumer may run ahead of its durable cursor before the cursor is written anyway, so a restart never
    /// scans more than this.
    static let unwrittenLimit: Int64 = 10_000

    public init(database: Database, consumers: [EventConsumer], clock: any WallClock, logger: Logger) {
        self.database = database
        self.consumers = consumers
        self.nameLists = consumers.map { EventLog.nameList($0.names) }
        self.clock = clock
        self.logger = logger
    }

    /// Starts the loop: woken after every commit of this process, and polling every 250 ms for commits of other
    /// processes (the CLI, other nodes).
    public func start() {
        let loop = BackgroundLoop(interval: .milliseconds(250)) { [self] in await runOnce() }
        self.loop.withLock { $0 = loop }
        database.onCommit { [weak loop] in loop?.wake() }
        loop.start()
    }

    public func stop() async {
        await loop.withLock { $0 }?.stop()
    }

    /// Runs until every consumer has read the whole log (tests, and the CLI before a report).
    public func catchUp() async {
        while await runOnce() {}
        // A run that was not full may still have left a newer event behind: once more, now idle.
        _ = await runOnce()
    }

    /// Feeds every consumer one batch. - Returns: whether some consumer had a full batch (more may be waiting).
    @discardableResult
    public func runOnce() async -> Bool {
        guard !consumers.isEmpty else { return false }
        do {
            let (passedTo, skippedTo) = (passed.withLock { $0 }, skipped.withLock { $0 })
            let (consumers, nameLists) = (consumers, nameLists)
            // One read for all: a consumer none of whose events came is passed over without a write transaction (a
            // commit, and under synchronous=FULL an fsync, per consumer per wake-up: most of them, most of the time).
            let (newest, states) = try await database.read { db -> (Int64, [(durable: Int64, waiting: Bool)]) in
                let newest = try EventLog.lastID(in: db)
                guard newest > passedTo else { return (newest, []) }
                let cursors = try EventLog.cursors(in: db)
                let froms = consumers.map { max(cursors[$0.name] ?? 0, skippedTo[$0.name] ?? 0) }
                // Usually a few new events: their names answer every consumer at once; after a burst, an index probe
                // per consumer.
                let recent = try EventLog.names(after: froms.min() ?? newest, limit: Self.batchSize, in: db)
                let seen = recent.count < Self.batchSize
                return (newest, try consumers.indices.map { index in
                    let waiting = if seen {
                        recent.contains { $0.id > froms[index] && consumers[index].names.contains($0.name) }
                    } else {
                        try EventLog.hasEvents(after: froms[index], names: nameLists[index], in: db)
                    }
                    return (cursors[consumers[index].name] ?? 0, waiting)
                })
            }
            if states.isEmpty { return false }
            var more = false
            var lowest = Int64.max
            for (index, consumer) in consumers.enumerated() {
                let state = states[index]
                let (position, full) = if !state.waiting, newest - state.durable < Self.unwrittenLimit {
                    skip(consumer, to: newest, durable: state.durable)
                } else {
                    try await feed(consumer, names: nameLists[index], skippedTo: skippedTo[consumer.name] ?? 0)
                }
                more = more || full
                lowest = min(lowest, position)
            }
            passed.withLock { $0 = lowest }
            return more
        } catch {
            logger.warning("event dispatch failed", ["error": String(describing: error)])
            return false
        }
    }

    /// Passes a consumer over events it does not take, in memory only. - Returns: its position afterwards.
    private func skip(_ consumer: EventConsumer, to end: Int64, durable: Int64) -> (Int64, Bool) {
        skipped.withLock { $0[consumer.name] = max($0[consumer.name] ?? 0, end) }
        return (max(end, durable), false)
    }

    /// One batch of one consumer. - Returns: its cursor afterwards and whether the batch was full.
    private func feed(_ consumer: EventConsumer, names: String, skippedTo: Int64) async throws -> (Int64, Bool) {
        do {
            let (events, position, full) = try await database.write { db -> ([DomainEvent], Int64, Bool) in
                let start = max(try EventLog.lockedCursor(of: consumer.name, in: db), skippedTo)
                // Read before the handlers run: events they append come after it and are read in the next batch.
                let end = try EventLog.lastID(in: db)
                // Only the consumer's names are read (and parsed), so a burst of events it does not take — 100,000
                // inbox items of a fan-out — costs one scan per consumer, not a transaction per 256 of them.
                let events = try EventLog.events(
                    after: start, upTo: end, names: names, limit: Self.batchSize, in: db
                )
                if !events.isEmpty { try consumer.handleAll(events, db) }
                let full = events.count == Self.batchSize
                let position = full ? events[events.count - 1].id : max(end, start)
                if position != start { try EventLog.advance(consumer.name, to: position, in: db) }
                return (events, position, full)
            }
            if !events.isEmpty { consumer.afterCommit(events) }
            return (position, full)
        } catch {
            // One bad event must not stop the consumer for good: retry one by one and set the failing one aside.
            return try await feedOneByOne(consumer)
        }
    }

    private func feedOneByOne(_ consumer: EventConsumer) async throws -> (Int64, Bool) {
        let now = clock.now().epochSeconds
        let (logger, name) = (logger, consumer.name)
        let position = try await database.write { db -> Int64 in
            let start = try EventLog.lockedCursor(of: consumer.name, in: db)
            guard let event = try EventLog.events(after: start, limit: 1, in: db).first else { return start }
            do {
                if consumer.names.contains(event.name) { try db.savepoint { try consumer.handle(event, db) } }
            } catch {
                logger.error("event consumer failed", ["consumer": name, "event": String(event.id), "error": String(describing: error)])
                try EventLog.deadLetter(name, event: event.id, error: String(describing: error), now: now, in: db)
            }
            try EventLog.advance(consumer.name, to: event.id, in: db)
            return event.id
        }
        return (position, true)
    }
}
