import Core

/// Fans committed events out to every open server-sent event stream of a key (a live session, an account), without
/// a thread or task per stream.
///
/// Writers call `notify(_:)` after their commit. One pump per key (a short-lived task, only while events are
/// arriving) reads the log after its cursor and writes each event to the key's streams. Reading the log rather
/// than passing events along keeps the order of commits: ids are assigned in commit order (the single writer, or
/// a per-stream counter row locked by the writing transaction), so a read that sees event N sees every committed
/// event before it, and two commits that notify in the opposite order can never reorder or drop an event. A lost
/// or late notification only delays delivery until the next one. Each event is framed once, whatever the number of
/// streams, and each stream gets what one read found in one write: events that commit while a pump delivers, or
/// within a short window after (``Coalescing``), are batched into its next read, so a burst costs one write per
/// stream per window and nothing is dropped.
///
/// A new stream replays the log after its client's `Last-Event-ID` (at most ``StreamSubscriber/replayBudget``
/// bytes, then it ends and the client resumes from where it got to) and then goes live; see ``StreamSubscriber``
/// for why no id is skipped or repeated in between.
///
/// ```swift
/// let hub = StreamHub(source: StreamSource { key, after, limit in
///     let events = try await database.read { db in try MyStore.events(of: key, after: after, limit: limit, in: db) }
///     return StreamPage(events: events, limit: limit)
/// })
/// let detach = hub.attach(sink, key: "live:42", after: lastEventID, newestID: newest)  // on the stream's open
/// hub.notify("live:42")                                                                // after each commit
/// ```
public final class StreamHub: Sendable {
    /// The streams of one key. A class, so that a pump keeps working on the room it started with even if the room
    /// is replaced after its last stream left.
    final class Room: @unchecked Sendable {
        // Invariant: every stored property is accessed only while holding the hub's `rooms` lock.
        var subscribers: [ObjectIdentifier: StreamSubscriber] = [:] {
            didSet { cachedList = nil }
        }
        private var cachedList: [StreamSubscriber]?
        /// `subscribers` as an array, built again after one came or went: a pump takes it with one retain of its
        /// buffer, where copying the dictionary's values retained every stream for every batch (a side-table retain
        /// each, since the close handlers hold them weakly).
        var list: [StreamSubscriber] {
            if let cachedList { return cachedList }
            let built = Array(subscribers.values)
            cachedList = built
            return built
        }
        /// When the last delivery of a batch that was not a full page started (see ``Coalescing``).
        var lastDelivery: ContinuousClock.Instant?
        /// The last id the pump read.
        var cursor: Int64
        var pumping = false
        var again = false
        var countChanged = false
        var removed = false

        init(cursor: Int64) { self.cursor = cursor }
    }

    /// Entries one read of the source may return.
    static let pageSize = 500

    /// How a room's pump paces its deliveries while events keep arriving.
    ///
    /// After a delivery the next one waits until a window has passed: ``perStream`` for each open stream, at most
    /// ``maximum`` (by default 10 µs and 100 ms: 10 ms for 1,000 streams, 100 ms from 10,000). A burst such as a
    /// bidding war then costs each stream one write per window, carrying every event that committed meanwhile,
    /// instead of one write per event: the socket write (and on loopback the receiver's TCP work, charged to it) is
    /// most of the fan-out's CPU, so a room's writes stay under about 100,000 a second whatever its size. The first
    /// event after a quiet window goes out at once, and the waiting events stay in the log, not in memory.
    public struct Coalescing: Sendable {
        public var perStream: Duration
        public var maximum: Duration
        /// Waits out the rest of a window; tests pass one they release by hand.
        public var pause: @Sendable (Duration) async -> Void

        public init(
            perStream: Duration = .microseconds(10), maximum: Duration = .milliseconds(100),
            pause: @escaping @Sendable (Duration) async -> Void = { try? await Task.sleep(for: $0) }
        ) {
            (self.perStream, self.maximum, self.pause) = (perStream, maximum, pause)
        }

        /// The window of a room with `streams` open streams.
        public func window(streams: Int) -> Duration { min(perStream * streams, maximum) }
    }

    private let source: StreamSource
    private let coalescing: Coalescing
    private let rooms = Mutex<[String: Room]>([:])
    private let heartbeatTask = Mutex<Task<Void, Never>?>(nil)

    /// - Parameters:
    ///   - source: where the events of a key are read.
    ///   - coalescing: how deliveries are paced in a burst.
    public init(source: StreamSource, coalescing: Coalescing = Coalescing()) {
        self.source = source
        self.coalescing = coalescing
    }

    // MARK: - Streams

    /// Registers a stream that resumes after `lastEventID` and starts its replay.
    ///
    /// The subscriber is registered before the replay reads the log, so every event is either in the replay or
    /// delivered to its buffer afterwards; the buffer drops what the replay already wrote.
    /// - Parameters:
    ///   - sink: the stream's writer.
    ///   - key: the stream key, such as a session id or `EventLog.accountStream(id)`.
    ///   - lastEventID: the client's `Last-Event-ID`, or `newestID` when it connects for the first time.
    ///   - newestID: the newest id of the key, read before this call; a new room's pump starts there.
    /// - Returns: a function that unregisters the stream, for the connection's close handler.
    public func attach(
        _ sink: any EventSink, key: String, after lastEventID: Int64, newestID: Int64
    ) -> @Sendable () -> Void {
        let subscriber = StreamSubscriber(key: key, sink: sink, endsStream: source.endsStream)
        rooms.withLock { rooms in
            let room = rooms[key] ?? {
                let created = Room(cursor: newestID)
                rooms[key] = created
                return created
            }()
            room.subscribers[ObjectIdentifier(subscriber)] = subscriber
            room.countChanged = true
        }
        let source = self.source
        Task {
            do {
                let (replayed, complete) = try await Self.replay(key, after: lastEventID, from: source)
                subscriber.finishReplay(replayed, after: lastEventID, complete: complete)
            } catch {
                // Going live without the replay would skip ids; closed, the client reconnects with its last id.
                subscriber.close()
            }
        }
        notify(key)
        return { [weak self, weak subscriber] in
            guard let self, let subscriber else { return }
            self.detach(subscriber)
        }
    }

    private func detach(_ subscriber: StreamSubscriber) {
        subscriber.close()
        rooms.withLock { rooms in
            guard let room = rooms[subscriber.key] else { return }
            guard room.subscribers.removeValue(forKey: ObjectIdentifier(subscriber)) != nil else { return }
            room.countChanged = true
            if room.subscribers.isEmpty {
                room.removed = true
                rooms[subscriber.key] = nil
            }
        }
    }

    /// Reads the log after `id` until its end or until the replay budget is used up.
    /// - Returns: the events and whether they reach the end of the log.
    private static func replay(
        _ key: String, after id: Int64, from source: StreamSource
    ) async throws -> ([StreamEvent], Bool) {
        var events: [StreamEvent] = []
        var bytes = 0
        var cursor = id
        while true {
            let page = try await source.read(key, cursor, pageSize)
            events += page.events
            bytes += page.events.reduce(0) { $0 + $1.frameSize }
            guard page.isFull, let last = page.lastID else { return (events, true) }
            // Reading on would only hold memory: the stream ends at the budget anyway.
            if bytes > StreamSubscriber.replayBudget { return (events, false) }
            cursor = last
        }
    }

    /// Open streams of a key now.
    public func subscriberCount(of key: String) -> Int {
        rooms.withLock { $0[key]?.subscribers.count ?? 0 }
    }

    /// Open streams of each key that has any.
    public var subscriberCounts: [String: Int] {
        rooms.withLock { rooms in rooms.mapValues { $0.subscribers.count } }
    }

    /// Open streams of every key, for `/metrics`.
    public var subscriberCount: Int {
        rooms.withLock { $0.values.reduce(0) { $0 + $1.subscribers.count } }
    }

    /// Whether any key has a room (an open stream, or one just left).
    var hasRooms: Bool {
        rooms.withLock { !$0.isEmpty }
    }

    // MARK: - Fan-out

    /// New events of `key` were committed: make sure a pump delivers them. Cheap when the key has no stream.
    public func notify(_ key: String) {
        let room = rooms.withLock { rooms -> Room? in
            guard let room = rooms[key] else { return nil }
            if room.pumping {
                room.again = true
                return nil
            }
            room.pumping = true
            return room
        }
        guard let room else { return }
        Task { await pump(room, key: key) }
    }

    /// The keys with open streams that start with `prefix` (the accounts watching now, for a fan-out that serves
    /// them first).
    public func keys(withPrefix prefix: String) -> [String] {
        rooms.withLock { rooms in rooms.keys.filter { $0.hasPrefix(prefix) } }
    }

    /// The keys among `keys` that have open streams.
    public func keysWithStreams(among keys: some Sequence<String>) -> Set<String> {
        rooms.withLock { rooms in
            var found = Set<String>()
            for key in keys where rooms[key] != nil { found.insert(key) }
            return found
        }
    }

    /// Delivers events of `key` that the caller already read from the log, sparing the pump its own read: a
    /// follower of the whole log passes each key its share of a page, so a burst of events to thousands of keys
    /// costs one read per page instead of one per key.
    ///
    /// The page must hold every entry of the key with an id above `after` up to `page.lastID`. It is written only
    /// when the room is idle and has written exactly up to `after`; otherwise (a pump running, or the room behind
    /// or ahead of `after`) it is a ``notify(_:)`` and the pump reads from its own cursor, so nothing is skipped.
    /// - Parameters:
    ///   - page: the key's entries; `lastID` is the last entry read, written or left out.
    ///   - key: the stream key.
    ///   - after: the id before the page's first entry.
    public func offer(_ page: StreamPage, of key: String, after: Int64) {
        enum Action { case none, pump(Room), deliver(Room, [StreamSubscriber]) }
        let action = rooms.withLock { rooms -> Action in
            guard let room = rooms[key] else { return .none }
            if room.pumping {
                room.again = true
                return .none
            }
            room.pumping = true
            guard room.cursor == after, let last = page.lastID else { return .pump(room) }
            room.cursor = last
            return .deliver(room, room.list)
        }
        switch action {
        case .none:
            return
        case let .pump(room):
            Task { await pump(room, key: key) }
        case let .deliver(room, subscribers):
            if !page.events.isEmpty {
                let batch = EventBatch(page.events, endsStream: source.endsStream)
                for subscriber in subscribers { subscriber.deliver(batch) }
            }
            let again = rooms.withLock { _ -> Bool in
                if room.removed { return false }
                if room.again {
                    room.again = false
                    return true
                }
                room.pumping = false
                return false
            }
            if again { Task { await pump(room, key: key) } }
        }
    }

    /// Notifies every key with open streams, for a caller that does not know which keys changed.
    public func notifyAll() {
        for key in rooms.withLock({ Array($0.keys) }) { notify(key) }
    }

    /// How often a pump reads again after a failed read (after 100, 200, 400 ms) before it gives up.
    static let readRetries = 3

    private func pump(_ room: Room, key: String) async {
        let clock = ContinuousClock()
        var failures = 0
        while true {
            // A pump started by the next commit of a burst waits too: the window runs from the room's last delivery.
            let (cursor, streams, lastDelivery) = rooms.withLock { _ in (room.cursor, room.list.count, room.lastDelivery) }
            if let lastDelivery {
                let rest = clock.now.duration(to: lastDelivery.advanced(by: coalescing.window(streams: streams)))
                if rest > .zero { await coalescing.pause(rest) }
            }
            let page: StreamPage
            do {
                page = try await source.read(key, cursor, Self.pageSize)
            } catch {
                // The database is busy, reconnecting or closing. The follower has moved past these events, so no
                // notification may come for them until the key's next event: read again a few times, backing off,
                // before leaving it to that notification.
                failures += 1
                let stop = rooms.withLock { _ -> Bool in
                    guard room.removed || failures > Self.readRetries else { return false }
                    room.pumping = false
                    return true
                }
                if stop { return }
                try? await Task.sleep(for: .milliseconds(50 << failures))
                continue
            }
            failures = 0
            let started = clock.now
            let subscribers = rooms.withLock { _ -> [StreamSubscriber] in
                if let last = page.lastID { room.cursor = last }
                // After a full page a backlog goes on at once: 500 events a write are coalesced already.
                if !page.events.isEmpty { room.lastDelivery = page.isFull ? nil : started }
                return room.list
            }
            if !page.events.isEmpty {
                let batch = EventBatch(page.events, endsStream: source.endsStream)
                for subscriber in subscribers { subscriber.deliver(batch) }
            }
            let done = rooms.withLock { _ -> Bool in
                if room.removed { return true }
                if page.isFull || room.again {
                    room.again = false
                    return false
                }
                room.pumping = false
                return true
            }
            if done { return }
        }
    }

    /// Writes bytes without an id (a comment, or an event such as a live session's `viewers`) to every stream of
    /// `key`, in the order of calls for each stream.
    public func sendUnnumbered(_ bytes: [UInt8], to key: String) {
        let subscribers = rooms.withLock { rooms in rooms[key].map { Array($0.subscribers.values) } ?? [] }
        for subscriber in subscribers { subscriber.sendUnnumbered(bytes) }
    }

    /// The keys whose number of open streams changed since the last call, with that number now; keys whose last
    /// stream left are not listed.
    public func takeCountChanges() -> [String: Int] {
        rooms.withLock { rooms in
            var changed: [String: Int] = [:]
            for (key, room) in rooms where room.countChanged {
                room.countChanged = false
                changed[key] = room.subscribers.count
            }
            return changed
        }
    }

    // MARK: - Heartbeats and shutdown

    /// A comment line to every stream, so that proxies and clients keep idle streams open.
    public func heartbeat() {
        let all = rooms.withLock { rooms in rooms.values.flatMap { $0.subscribers.values } }
        let bytes = Array(": ping\n\n".utf8)
        for subscriber in all { subscriber.sendUnnumbered(bytes) }
    }

    /// Sends ``heartbeat()`` every `interval` until ``closeAll()``; for owners without a timer of their own.
    /// - Parameter interval: under the client's patience; API.md §9 and §13 promise a comment every 15 seconds.
    public func startHeartbeats(every interval: Duration) {
        let task = Task.detached { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard let self, !Task.isCancelled else { return }
                self.heartbeat()
            }
        }
        heartbeatTask.withLock { old in
            old?.cancel()
            old = task
        }
    }

    /// Closes every stream and stops the heartbeats, at shutdown.
    public func closeAll() {
        heartbeatTask.withLock { task in
            task?.cancel()
            task = nil
        }
        let all = rooms.withLock { rooms in rooms.values.flatMap { $0.subscribers.values } }
        for subscriber in all { subscriber.close() }
    }
}
