import Accounts
import Catalog
import Coupons
import Core
import Foundation
import Payments
import Storage

/// Live-stream shopping (API.md §9): sessions, pins with flash deals, chat, likes, coupon drops, stats, and the
/// real-time event streams.
///
/// Every change and the event that describes it are written in one transaction; after the commit the hub fans the
/// event out. One timer task per service does the periodic work: coalesced `likes`/`viewers` events, saving like
/// counts and viewer peaks, and ending pins whose time ran out; the hub sends the heartbeats on a timer of its own.
public final class LiveService: Sendable {
    /// Seconds between two timer ticks; `likes` and `viewers` go out at most once per tick (twice a second).
    static let tickMilliseconds = 500
    /// A heartbeat comment this often, under the 15 s of API.md §9. On a timer of its own: counted in ticks, it came
    /// late by the work and the wake-up delay of 20 ticks (over 16 s on PostgreSQL on a loaded machine).
    static let heartbeatInterval: Duration = .seconds(10)

    let database: Database
    let clock: any WallClock
    let ids: IDGenerator
    let renderer: any LiveRenderer
    /// The session streams, keyed by session id.
    let hub: StreamHub
    let peaks = ViewerPeaks()

    struct LikeCounter {
        var total: Int64
        var unsaved: Int64 = 0
        var changed = false
    }

    /// Like totals of sessions liked since start-up; `unsaved` is added to the database by the timer.
    let likes = Mutex<[String: LikeCounter]>([:])
    /// One chat message per second per account, across the cluster on PostgreSQL; communities share the same rule
    /// (Storage.MessageRateLimit).
    let chatLimit: MessageRateLimit
    /// This service's name in `live_node_viewers`: unique per process and service, as tests run several nodes in
    /// one process.
    let node = "node-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8).lowercased())"
    /// What this node knows of the other nodes' streams (PostgreSQL only).
    let clusterViewers = Mutex(ClusterViewers())
    struct ExpiryState {
        /// Bumped by every new pin with a duration.
        var generation = 1
        /// The generation `at` was read at; 0 until the first sweep at start-up.
        var loaded = 0
        /// The earliest `ends_at` of an active pin, `nil` when none.
        var at: Int64?
    }

    let nextExpiry = Mutex(ExpiryState())
    private let timer = Mutex<Task<Void, Never>?>(nil)
    /// Places a won auction's order. Set by ``register(on:orders:)``: the order service is built after this one,
    /// since this one is its checkout hook.
    let orders = Mutex<OrderService?>(nil)
    let logger: Logger

    /// - Parameters:
    ///   - database: the migrated database.
    ///   - clock: the wall clock (a `ManualClock` in tests).
    ///   - ids: makes `live_`, `pin_`, `msg_`, `drop_` and coupon ids.
    ///   - renderer: the API module's JSON of pins and messages, used for event payloads.
    ///   - logger: where an auction close that could not place the winner's order is reported.
    public init(
        database: Database, clock: any WallClock, ids: IDGenerator, renderer: any LiveRenderer,
        logger: Logger = Logger(minimumLevel: .error)
    ) {
        self.database = database
        self.logger = logger
        self.clock = clock
        self.ids = ids
        self.renderer = renderer
        chatLimit = MessageRateLimit(database: database, kind: "live")
        hub = StreamHub(source: .liveEvents(database))
        // Pins, bids and chat written on other nodes (PostgreSQL): every open session reads past its own cursor.
        // This node's writes notify their session themselves.
        database.onOtherNodesCommit { [hub] in hub.notifyAll() }
        hub.startHeartbeats(every: Self.heartbeatInterval)
        startTimer()
    }

    var now: Int64 { clock.now().epochSeconds }

    /// Stops the timer and closes every event stream; call before closing the database.
    public func stop() {
        timer.withLock { task in
            task?.cancel()
            task = nil
        }
        hub.closeAll()
    }

    /// Open event streams of all sessions, for `/metrics`.
    public var totalViewers: Int { hub.subscriberCount }

    // MARK: - Sessions

    /// Creates a scheduled session hosted by `hostID`.
    /// - Returns: the new session.
    public func create(
        hostID: String, title: String, description: String?, scheduledAt: Int64?, streamURL: String?
    ) async throws -> LiveSession {
        let id = ids.next("live")
        let now = self.now
        return try await database.write { db in
            try LiveStore.insertSession(
                id: id, hostID: hostID, title: title, description: description, streamURL: streamURL,
                scheduledAt: scheduledAt, now: now, in: db
            )
            return try LiveStore.requireSession(id, in: db)
        }
    }

    /// A session with its active pins, viewer and like counts.
    /// - Throws: `404` when it does not exist.
    public func session(_ id: String) async throws -> LiveSession {
        let now = self.now
        let node = self.node
        let (stored, others) = try await database.read { db -> (LiveSession, [String: Int64]) in
            var s = try LiveStore.requireSession(id, in: db)
            s.pins = try LiveStore.activePins(of: id, now: now, in: db)
            return (s, try LiveStore.otherNodesViewers(of: [id], node: node, in: db))
        }
        return decorate(stored, otherNodes: others)
    }

    /// Sessions newest first, optionally only those with `status`.
    public func sessions(status: LiveStatus?, page: PageRequest) async throws -> Page<LiveSession> {
        let now = self.now
        let node = self.node
        let (fetched, others) = try await database.read { db -> ([LiveSession], [String: Int64]) in
            let fetched = try LiveStore.sessions(
                status: status, cursor: page.cursor, limit: page.limit + 1, now: now, in: db
            )
            return (fetched, try LiveStore.otherNodesViewers(of: fetched.map(\.id), node: node, in: db))
        }
        let page = Page(fetched: fetched, limit: page.limit) { [.int($0.createdAt), .string($0.id)] }
        return Page(items: page.items.map { decorate($0, otherNodes: others) }, nextCursor: page.nextCursor)
    }

    /// Adds what only memory knows: open streams now (plus the other nodes' on PostgreSQL, read with the session)
    /// and likes not saved yet.
    func decorate(_ session: LiveSession, otherNodes: [String: Int64]) -> LiveSession {
        var s = session
        s.viewerCount = Int64(hub.subscriberCount(of: s.id)) + (otherNodes[s.id] ?? 0)
        s.likeCount = likes.withLock { $0[s.id]?.total } ?? s.likeCount
        return s
    }

    /// Starts a scheduled session.
    /// - Throws: `404`, `403` (not its host), `409 invalid_state` unless it is scheduled.
    public func start(_ id: String, by caller: Principal) async throws -> LiveSession {
        let now = self.now
        try await database.write { db in
            let s = try LiveStore.requireSession(id, in: db)
            try Self.requireHost(s, caller)
            guard s.status == .scheduled else { throw LiveError.invalidState("Session \(id) is \(s.status.rawValue), not scheduled") }
            try LiveStore.markLive(id, now: now, in: db)
            try LiveStore.append(
                LiveEventName.sessionStarted, ["session_id": .string(id), "status": "live"], session: id, now: now, in: db
            )
            // For consumers in other modules (followers told that a host is live), in the same transaction.
            try EventLog.append(
                LiveDomainEvent.liveStarted, stream: LiveStore.domainStream(id),
                data: ["session_id": .string(id), "host_id": .string(s.hostID), "title": .string(s.title)],
                now: now, in: db
            )
        }
        hub.notify(id)
        return try await session(id)
    }

    /// Ends a live session: closes its open auctions, unpins everything (unsold flash units go back to stock), gives
    /// unclaimed dropped coupons back to their campaigns, and closes the streams after `session.ended`.
    /// - Throws: `404`, `403` (not its host), `409 invalid_state` unless it is live.
    public func end(_ id: String, by caller: Principal) async throws -> LiveSession {
        let now = self.now
        try await database.write { db in
            let s = try LiveStore.requireSession(id, in: db)
            try Self.requireHost(s, caller)
            guard s.status == .live else { throw LiveError.invalidState("Session \(id) is \(s.status.rawValue), not live") }
            // Open auctions close at once: sold to the leader, or unsold (API.md §24).
            try self.closeAuctions(of: id, now: now, in: db)
            for pin in try LiveStore.unendedPins(of: id, in: db) {
                try Self.endPin(pin, now: now, in: db)
            }
            for drop in try LiveStore.unreleasedDrops(of: id, in: db) {
                if drop.remaining > 0 {
                    try CouponEngine.release(campaignID: drop.campaignID, quantity: drop.remaining, in: db)
                }
                try LiveStore.markReleased(drop.id, in: db)
            }
            try LiveStore.markEnded(id, now: now, in: db)
            try LiveStore.append(
                LiveEventName.sessionEnded, ["session_id": .string(id), "status": "ended"], session: id, now: now, in: db
            )
        }
        hub.notify(id)
        await saveCounters()
        return try await session(id)
    }

    /// `403` unless the caller hosts the session or is an admin (who may do everything, API.md §1).
    static func requireHost(_ session: LiveSession, _ caller: Principal) throws {
        guard session.hostID == caller.accountID || caller.roles.contains(.admin) else { throw LiveError.notHost }
    }

    // MARK: - Timer

    private func startTimer() {
        let task = Task.detached { [weak self] in
            var tick = 0
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(LiveService.tickMilliseconds))
                guard let self, !Task.isCancelled else { return }
                tick += 1
                await self.tick(tick)
            }
        }
        timer.withLock { $0 = task }
    }

    private func tick(_ tick: Int) async {
        let changedLikes = likes.withLock { counters -> [String: Int64] in
            var out: [String: Int64] = [:]
            for (id, counter) in counters where counter.changed {
                out[id] = counter.total
                counters[id]?.changed = false
            }
            return out
        }
        // PostgreSQL: the counts are the cluster's sums (API.md §24); SQLite has one process, whose streams they are.
        let viewers = database.dialect == .postgres ? await exchangeViewers(tick: tick) : hub.takeCountChanges()
        sendCounters(viewers: viewers, likes: changedLikes)
        await saveCounters()
        if database.dialect == .postgres { await followClusterLikes() }
        if tick % 2 == 0 {
            await endExpiredPins()
        }
    }

    /// Adds unsaved likes and new viewer peaks to the database.
    func saveCounters() async {
        let unsavedLikes = likes.withLock { counters -> [(String, Int64)] in
            var out: [(String, Int64)] = []
            for (id, counter) in counters where counter.unsaved > 0 {
                out.append((id, counter.unsaved))
                counters[id]?.unsaved = 0
            }
            return out
        }
        let peaks = self.peaks.takeUnsaved()
        guard !unsavedLikes.isEmpty || !peaks.isEmpty else { return }
        do {
            try await database.write { db in
                for (id, count) in unsavedLikes { try LiveStore.addLikes(count, to: id, in: db) }
                for (id, peak) in peaks { try LiveStore.raisePeak(peak, of: id, in: db) }
            }
        } catch {
            // Keep the likes for the next tick; peaks are kept in memory and re-read by stats anyway.
            likes.withLock { counters in
                for (id, count) in unsavedLikes { counters[id]?.unsaved += count }
            }
        }
    }
}
