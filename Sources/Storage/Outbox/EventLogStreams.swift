import Core

/// Server-sent event streams over streams of the domain event log: the account event stream of API.md §13
/// (`GET /v1/me/events`) on `EventLog.accountStream(accountID)`.
///
/// The SSE `id` is the event's `sequence` in its log stream, so one event has the same id on every open stream of
/// the account, also after a restart, and `Last-Event-ID` resumes exactly as a live session's stream does (API.md
/// §9): replay, then live, no thread per stream, a heartbeat comment every 10 seconds. The `event:` name comes from
/// `eventName`, given the log's name; events it maps to `nil` are not sent but still move the stream's cursor.
///
/// Entry points: ``prepare(stream:lastEventID:)`` before the response starts, ``attach(_:to:)`` once the stream is
/// open, ``notify(_:)`` after a commit (``start()`` also follows the log, so events from any producer, the CLI or
/// another process arrive within 250 ms without it), ``stop()`` at shutdown.
///
/// ```swift
/// // Wiring, once: the log's names mapped to the names of API.md §13.
/// let accountEvents = EventLogStreams(database: database) { name in
///     switch name {
///     case "order.paid", "order.refunded", "order.shipped": "order.updated"
///     case "inbox.created", "shipment.updated": name
///     default: nil  // not for the client; skipped, and the cursor moves on
///     }
/// }
/// accountEvents.start()
///
/// // GET /v1/me/events
/// let start = try await accountEvents.prepare(
///     stream: EventLog.accountStream(principal.accountID), lastEventID: lastEventIDHeader  // Int64?
/// )
/// return HTTPResponse(status: 200, headers: sseHeaders, body: .stream({ writer in
///     writer.onClose(accountEvents.attach(WriterSink(writer), to: start))
/// }))
///
/// // A producer, after its commit (optional once `start()` runs):
/// accountEvents.notify(EventLog.accountStream(accountID))
///
/// // Shutdown, before the database closes:
/// await accountEvents.stop()
/// ```
public final class EventLogStreams: Sendable {
    /// Where a new stream begins, read before its response starts.
    public struct Start: Sendable, Equatable {
        /// The log stream, such as `account:acct_…`.
        public let stream: String
        /// Replay after this sequence: the client's `Last-Event-ID`, or the newest for a first connection.
        public let after: Int64
        /// The newest sequence of the stream when it was prepared.
        public let newest: Int64
    }

    /// A comment every 10 s, under the 15 s that API.md §13 promises.
    public static let heartbeatInterval: Duration = .seconds(10)

    private let database: Database
    private let hub: StreamHub
    private let eventName: @Sendable (String) -> String?
    private let follower = Mutex<BackgroundLoop?>(nil)
    /// The global log position the follower has read, -1 before it starts.
    private let followed = Mutex<Int64>(-1)

    /// - Parameters:
    ///   - database: the migrated database holding `domain_events`.
    ///   - eventName: the SSE `event:` name of a log event name, or `nil` to leave such events out.
    public init(database: Database, eventName: @escaping @Sendable (String) -> String?) {
        self.database = database
        self.eventName = eventName
        hub = StreamHub(source: .eventLog(database, eventName: eventName))
    }

    /// Reads where a stream begins: after `lastEventID` or, for a first connection, after the newest event (a
    /// first connection gets only new events, API.md §13).
    /// - Parameters:
    ///   - stream: the log stream, `EventLog.accountStream(accountID)` for the account stream.
    ///   - lastEventID: the client's `Last-Event-ID` when it is a non-negative number.
    /// - Returns: what ``attach(_:to:)`` needs.
    /// - Throws: ``SQLiteError`` when the database cannot be read.
    public func prepare(stream: String, lastEventID: Int64?) async throws -> Start {
        let newest = try await database.lookup { db in try EventLog.lastSequence(of: stream, in: db) }
        return Start(stream: stream, after: lastEventID ?? newest, newest: newest)
    }

    /// Connects an open stream: it replays what came after `start.after`, then receives every new event.
    /// - Parameters:
    ///   - sink: the stream's writer.
    ///   - start: from ``prepare(stream:lastEventID:)``.
    /// - Returns: the function to call when the connection goes away.
    public func attach(_ sink: any EventSink, to start: Start) -> @Sendable () -> Void {
        hub.attach(sink, key: start.stream, after: start.after, newestID: start.newest)
    }

    /// New events of `stream` were committed: deliver them to its open streams now. Cheap when none is open.
    public func notify(_ stream: String) {
        hub.notify(stream)
    }

    /// Open streams of one log stream (an account's devices).
    public func openStreams(of stream: String) -> Int { hub.subscriberCount(of: stream) }

    /// Open streams in all, for `/metrics`.
    public var openStreams: Int { hub.subscriberCount }

    /// The streams open now whose names start with `prefix` (`account:` for the accounts watching).
    public func openStreams(withPrefix prefix: String) -> [String] { hub.keys(withPrefix: prefix) }

    /// Starts the heartbeats and the follower: after every commit of this process, and every 250 ms for commits of
    /// others, it reads which log streams got events and notifies those with open streams.
    public func start() {
        hub.startHeartbeats(every: Self.heartbeatInterval)
        let loop = BackgroundLoop(interval: .milliseconds(250)) { [weak self] in
            await self?.follow() ?? false
        }
        follower.withLock { $0 = loop }
        database.onCommit { [weak loop] in loop?.wake() }
        loop.start()
    }

    /// Stops the follower and the heartbeats and closes every stream; call before closing the database.
    public func stop() async {
        await follower.withLock { $0 }?.stop()
        hub.closeAll()
    }

    /// One step of the follower. - Returns: whether it read a full page (more may be waiting).
    private func follow() async -> Bool {
        do {
            // No stream open, nothing to read: the position is forgotten, so once one opens the next step starts as
            // the first one does, and every room's pump reads from its own cursor (nothing skipped).
            guard hub.hasRooms else {
                followed.withLock { $0 = -1 }
                return false
            }
            let position = followed.withLock { $0 }
            guard position >= 0 else {
                // Streams opened before now may have missed a commit that this read passes over: wake them all.
                let last = try await database.read { db in try EventLog.lastID(in: db) }
                followed.withLock { $0 = max($0, last) }
                hub.notifyAll()
                return false
            }
            let limit = 1000
            // Which streams the page touches first, without the data: most events have no open stream here (an
            // order's events while its buyer has no page open), and their data is most of what a page weighs.
            // The page holds every entry of its streams in its id range, so each stream's share goes to its open
            // streams as it is: a fan-out of 100,000 events costs 100 reads here, not one per open stream.
            let hub = hub
            let (heads, entries) = try await database.read { db -> ([(id: Int64, stream: String)], [EventLog.StoredEntry]) in
                let heads = try EventLog.streams(after: position, limit: limit, in: db)
                guard let last = heads.last?.id else { return (heads, []) }
                let open = hub.keysWithStreams(among: Set(heads.lazy.map(\.stream)))
                if open.isEmpty { return (heads, []) }
                return (heads, try EventLog.entries(after: position, through: last, streams: open, in: db))
            }
            guard let last = heads.last?.id else { return false }
            followed.withLock { $0 = last }
            var pages: [String: (after: Int64, page: StreamPage)] = [:]
            for entry in entries {
                let empty = (after: entry.sequence - 1, page: StreamPage(events: [], lastID: nil, isFull: false))
                if let name = eventName(entry.name) {
                    let event = StreamEvent(id: entry.sequence, name: name, data: entry.data)
                    pages[entry.stream, default: empty].page.events.append(event)
                }
                pages[entry.stream, default: empty].page.lastID = entry.sequence
            }
            for (stream, share) in pages { hub.offer(share.page, of: stream, after: share.after) }
            return heads.count == limit
        } catch {
            return false  // the database is closing or busy: the next run reads from the same position
        }
    }
}

extension StreamSource {
    /// The events of one domain-event-log stream (the key), numbered by their `sequence`.
    /// - Parameter eventName: the SSE name of a log name, `nil` to leave the event out.
    static func eventLog(_ database: Database, eventName: @escaping @Sendable (String) -> String?) -> StreamSource {
        StreamSource { key, after, limit in
            let entries = try await database.read { db in
                try EventLog.entries(stream: key, after: after, limit: limit, in: db)
            }
            let events = entries.compactMap { entry -> StreamEvent? in
                guard let name = eventName(entry.name) else { return nil }
                return StreamEvent(id: entry.sequence, name: name, data: entry.data)
            }
            return StreamPage(events: events, lastID: entries.last?.sequence, isFull: entries.count >= limit)
        }
    }
}

extension EventLog {
    /// An entry as streams send it: the data as stored, already serialized JSON, never parsed here.
    struct StoredEntry {
        var id: Int64
        var stream: String
        var sequence: Int64
        var name: String
        var data: String

        init(_ row: Row) {
            (id, stream, sequence) = (row.int64("id"), row.string("stream"), row.int64("sequence"))
            (name, data) = (row.string("name"), row.string("data"))
        }
    }

    /// The streams of the entries after a global position, oldest first; the follower's page.
    ///
    /// On SQLite the single writer assigns ids in commit order. On PostgreSQL a bigserial id can become visible
    /// after a higher one, so there the follower must read behind the oldest open transaction (as consumers do).
    static func streams(after id: Int64, limit: Int, in db: any Transaction) throws -> [(id: Int64, stream: String)] {
        try db.query("SELECT id, stream FROM domain_events WHERE id > ? ORDER BY id LIMIT ?", id, Int64(limit))
            .map { ($0.int64("id"), $0.string("stream")) }
    }

    /// The entries of `streams` in a range of global positions, oldest first. The list is a JSON array, read by
    /// the dialect's ``SQLDialect/jsonArrayValues``.
    static func entries(after id: Int64, through last: Int64, streams: Set<String>, in db: any Transaction) throws -> [StoredEntry] {
        try db.query(
            """
            SELECT * FROM domain_events WHERE id > ? AND id <= ? AND stream IN (\(db.dialect.jsonArrayValues))
            ORDER BY id
            """,
            id, last, JSON.array(streams.sorted().map(JSON.string)).serializedString()
        ).map(StoredEntry.init)
    }

    /// The entries of one stream after a sequence, oldest first.
    static func entries(stream: String, after sequence: Int64, limit: Int, in db: any Transaction) throws -> [StoredEntry] {
        try db.query(
            "SELECT * FROM domain_events WHERE stream = ? AND sequence > ? ORDER BY sequence LIMIT ?",
            stream, sequence, Int64(limit)
        ).map(StoredEntry.init)
    }
}
