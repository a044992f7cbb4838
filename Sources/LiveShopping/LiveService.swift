import Accounts
import Catalog
import Coupons
import Core
import Foundation
import Storage

/// Live-stream shopping (API.md §9): sessions, pins with flash deals, chat, likes, coupon drops, stats, and the
/// real-time event streams.
///
/// Every change and the event that describes it are written in one transaction; after the commit the hub fans the
/// event out. One timer task per service does everything periodic: coalesced `likes`/`viewers` events, heartbeats,
/// saving like counts and viewer peaks, and ending pins whose time ran out.
public final class LiveService: Sendable {
    /// Seconds between two timer ticks; `likes` and `viewers` go out at most once per tick (twice a second).
    static let tickMilliseconds = 500
    /// A heartbeat comment every this many ticks (10 s, under the 15 s of API.md §9).
    static let heartbeatTicks = 20

    let database: Database
    let clock: any WallClock
    let ids: IDGenerator
    let renderer: any LiveRenderer
    let hub: EventHub

    struct LikeCounter {
        var total: Int64
        var unsaved: Int64 = 0
        var changed = false
    }

    /// Like totals of sessions liked since start-up; `unsaved` is added to the database by the timer.
    let likes = Mutex<[String: LikeCounter]>([:])
    /// When each account last wrote in chat, in seconds of the clock, for the one-message-per-second limit.
    let lastMessage = Mutex<[String: Double]>([:])
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

    /// - Parameters:
    ///   - database: the migrated database.
    ///   - clock: the wall clock (a `ManualClock` in tests).
    ///   - ids: makes `live_`, `pin_`, `msg_`, `drop_` and coupon ids.
    ///   - renderer: the API module's JSON of pins and messages, used for event payloads.
    public init(database: Database, clock: any WallClock, ids: IDGenerator, renderer: any LiveRenderer) {
        self.database = database
        self.clock = clock
        self.ids = ids
        self.renderer = renderer
        hub = EventHub(database: database)
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
    public var totalViewers: Int { hub.totalViewers }

    // MARK: - Sessions

    /// Creates a scheduled session hosted by `hostID`.
    /// - Returns: the new session.
    public func create(
        hostID: String, title: String, description: String?, scheduledAt: Int64?, streamURL: String?
    ) async throws -> LiveSession {
        let id = ids.next("live")
        let now = self.now
        return try await database.write { db in
            try db.run(
                """
                INSERT INTO live_sessions (id, host_id, title, description, status, stream_url, scheduled_at, created_at)
                VALUES (?, ?, ?, ?, 'scheduled', ?, ?, ?)
                """,
                id, hostID, title, description, streamURL, scheduledAt, now
            )
            return try LiveStore.requireSession(id, in: db)
        }
    }

    /// A session with its active pins, viewer and like counts.
    /// - Throws: `404` when it does not exist.
    public func session(_ id: String) async throws -> LiveSession {
        let now = self.now
        let stored = try await database.read { db -> LiveSession in
            var s = try LiveStore.requireSession(id, in: db)
            s.pins = try LiveStore.activePins(of: id, now: now, in: db)
            return s
        }
        return decorate(stored)
    }

    /// Sessions newest first, optionally only those with `status`.
    public func sessions(status: LiveStatus?, page: PageRequest) async throws -> Page<LiveSession> {
        let now = self.now
        let fetched = try await database.read { db -> [LiveSession] in
            var conditions: [String] = []
            var arguments: [(any SQLBindable)?] = []
            if let status {
                conditions.append("s.status = ?")
                arguments.append(status.rawValue)
            }
            if let cursor = page.cursor, let (time, id) = Cursor.decodeTimeAndID(cursor) {
                conditions.append("(s.created_at < ? OR (s.created_at = ? AND s.id < ?))")
                arguments += [time, time, id]
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments.append(page.limit + 1)
            return try db.query(
                "\(LiveStore.sessionSelect) \(filter) ORDER BY s.created_at DESC, s.id DESC LIMIT ?", arguments: arguments
            ).map { row in
                var s = LiveStore.session(from: row)
                s.pins = try LiveStore.activePins(of: s.id, now: now, in: db)
                return s
            }
        }
        let page = Page(fetched: fetched, limit: page.limit) { [.int($0.createdAt), .string($0.id)] }
        return Page(items: page.items.map(decorate), nextCursor: page.nextCursor)
    }

    /// Adds what only memory knows: open streams now and likes not saved yet.
    func decorate(_ session: LiveSession) -> LiveSession {
        var s = session
        s.viewerCount = hub.viewerCount(of: s.id)
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
            try db.run("UPDATE live_sessions SET status = 'live', started_at = ? WHERE id = ?", now, id)
            try LiveStore.append(
                LiveEventName.sessionStarted, ["session_id": .string(id), "status": "live"], session: id, now: now, in: db
            )
        }
        hub.notify(id)
        return try await session(id)
    }

    /// Ends a live session: unpins everything (unsold flash units go back to stock), gives unclaimed dropped
    /// coupons back to their campaigns, and closes the streams after `session.ended`.
    /// - Throws: `404`, `403` (not its host), `409 invalid_state` unless it is live.
    public func end(_ id: String, by caller: Principal) async throws -> LiveSession {
        let now = self.now
        try await database.write { db in
            let s = try LiveStore.requireSession(id, in: db)
            try Self.requireHost(s, caller)
            guard s.status == .live else { throw LiveError.invalidState("Session \(id) is \(s.status.rawValue), not live") }
            for row in try db.query("SELECT * FROM live_pins WHERE session_id = ? AND ended_at IS NULL", id) {
                try Self.endPin(row, now: now, in: db)
            }
            for row in try db.query("SELECT * FROM live_coupon_drops WHERE session_id = ? AND released = 0", id) {
                let unclaimed = row.int64("quantity") - row.int64("claimed")
                if unclaimed > 0 {
                    try CouponEngine.release(campaignID: row.string("campaign_id"), quantity: unclaimed, in: db)
                }
                try db.run("UPDATE live_coupon_drops SET released = 1 WHERE id = ?", row.string("id"))
            }
            try db.run("UPDATE live_sessions SET status = 'ended', ended_at = ? WHERE id = ?", now, id)
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

    // MARK: - Event streams

    /// What a new event stream needs, read before the response starts so that an unknown session is a `404`.
    public struct StreamStart: Sendable {
        public let sessionID: String
        /// Replay from here: the client's `Last-Event-ID`, or the newest id for a first connection.
        public let after: Int64
        public let newestID: Int64
        /// The session ended and the client has nothing to resume: the stream closes at once.
        public let closeAtOnce: Bool
    }

    /// Checks the session, counts the viewer (an account once, every anonymous stream once) and reads the newest id.
    /// - Parameters:
    ///   - lastEventID: the `Last-Event-ID` header when it is a number.
    ///   - viewer: the caller's account id when the stream carries a valid token.
    /// - Throws: `404` when the session does not exist.
    public func prepareStream(_ sessionID: String, lastEventID: Int64?, viewer: String?) async throws -> StreamStart {
        let viewerKey = viewer ?? "anonymous:" + ids.next("anon")
        let (status, newest) = try await database.write { db -> (LiveStatus, Int64) in
            let s = try LiveStore.requireSession(sessionID, in: db)
            if s.status != .ended {
                try db.run("INSERT OR IGNORE INTO live_viewers (session_id, viewer) VALUES (?, ?)", sessionID, viewerKey)
            }
            return (s.status, try LiveStore.lastEventID(of: sessionID, in: db))
        }
        return StreamStart(
            sessionID: sessionID, after: lastEventID ?? newest, newestID: newest,
            closeAtOnce: status == .ended && lastEventID == nil
        )
    }

    /// Connects an open stream to the hub.
    /// - Returns: the function to call when the connection goes away.
    public func attach(_ sink: any EventSink, to start: StreamStart) -> @Sendable () -> Void {
        if start.closeAtOnce {
            sink.close()
            return {}
        }
        return hub.attach(sink, sessionID: start.sessionID, after: start.after, newestID: start.newestID)
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
        hub.sendCounters(likes: changedLikes)
        if tick % Self.heartbeatTicks == 0 { hub.heartbeat() }
        await saveCounters()
        if tick % 2 == 0 {
            await endExpiredPins()
            let cutoff = clock.now().timeIntervalSince1970 - 2
            lastMessage.withLock { $0 = $0.filter { $0.value > cutoff } }
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
        let peaks = hub.takeUnsavedPeaks()
        guard !unsavedLikes.isEmpty || !peaks.isEmpty else { return }
        do {
            try await database.write { db in
                for (id, count) in unsavedLikes {
                    try db.run("UPDATE live_sessions SET like_count = like_count + ? WHERE id = ?", count, id)
                }
                for (id, peak) in peaks {
                    try db.run("UPDATE live_sessions SET peak_viewers = MAX(peak_viewers, ?) WHERE id = ?", peak, id)
                }
            }
        } catch {
            // Keep the likes for the next tick; peaks are kept in memory and re-read by stats anyway.
            likes.withLock { counters in
                for (id, count) in unsavedLikes { counters[id]?.unsaved += count }
            }
        }
    }
}
