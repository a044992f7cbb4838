import Core
import Foundation
import Storage

/// Fans committed events out to every open stream of a session, without a thread or task per stream.
///
/// Writers call `notify(_:)` after their commit. One pump per session (a short-lived task, only while events are
/// arriving) reads the log after its cursor and writes each event to the session's streams. Reading the log rather
/// than passing events along keeps the order of commits: the single writer assigns ids in commit order, so a read
/// that sees event N sees every committed event before it, and two commits that publish in the opposite order can
/// never reorder or drop an event. `likes`, `viewers` and heartbeats are written by the service's one timer.
final class EventHub: Sendable {
    /// The streams of one session. A class, so that a pump keeps working on the room it started with even if the
    /// room is replaced after its last stream left.
    final class Room: @unchecked Sendable {
        // Invariant: every stored property is accessed only while holding the hub's `rooms` lock.
        var subscribers: [ObjectIdentifier: Subscriber] = [:]
        /// The last id the pump read.
        var cursor: Int64
        var pumping = false
        var again = false
        var viewersChanged = false
        var removed = false

        init(cursor: Int64) { self.cursor = cursor }
    }

    static let pumpBatch = 500

    private let database: Database
    private let rooms = Mutex<[String: Room]>([:])
    /// The most streams each session had open at once since this process started; persisted by the timer.
    private let peaks = Mutex<[String: (peak: Int64, saved: Bool)]>([:])

    init(database: Database) {
        self.database = database
    }

    // MARK: - Streams

    /// Registers a stream that resumes after `lastEventID` and starts its replay.
    ///
    /// The subscriber is registered before the replay reads the log, so every event is either in the replay or
    /// delivered to the buffer afterwards; the buffer drops what the replay already wrote.
    /// - Returns: a function that unregisters the stream, for the connection's close handler.
    /// - Parameters:
    ///   - lastEventID: the client's `Last-Event-ID`, or the newest id when it connects for the first time.
    ///   - newestID: the newest id of the session read before this call; a new room's pump starts there.
    func attach(
        _ sink: any EventSink, sessionID: String, after lastEventID: Int64, newestID: Int64
    ) -> @Sendable () -> Void {
        let subscriber = Subscriber(sessionID: sessionID, sink: sink)
        let count = rooms.withLock { rooms -> Int in
            let room = rooms[sessionID] ?? {
                let created = Room(cursor: newestID)
                rooms[sessionID] = created
                return created
            }()
            room.subscribers[ObjectIdentifier(subscriber)] = subscriber
            room.viewersChanged = true
            return room.subscribers.count
        }
        notePeak(Int64(count), of: sessionID)
        let database = self.database
        Task {
            let replayed = (try? await Self.readAll(of: sessionID, after: lastEventID, in: database)) ?? []
            subscriber.finishReplay(replayed, after: lastEventID)
        }
        notify(sessionID)
        return { [weak self, weak subscriber] in
            guard let self, let subscriber else { return }
            self.detach(subscriber)
        }
    }

    private func detach(_ subscriber: Subscriber) {
        subscriber.close()
        rooms.withLock { rooms in
            guard let room = rooms[subscriber.sessionID] else { return }
            guard room.subscribers.removeValue(forKey: ObjectIdentifier(subscriber)) != nil else { return }
            room.viewersChanged = true
            if room.subscribers.isEmpty {
                room.removed = true
                rooms[subscriber.sessionID] = nil
            }
        }
    }

    private static func readAll(of sessionID: String, after id: Int64, in database: Database) async throws -> [StoredEvent] {
        var events: [StoredEvent] = []
        var cursor = id
        while true {
            let from = cursor
            let page = try await database.read { db in
                try LiveStore.events(of: sessionID, after: from, limit: EventHub.pumpBatch, in: db)
            }
            events += page
            guard page.count == EventHub.pumpBatch, let last = page.last else { return events }
            cursor = last.id
        }
    }

    /// Open streams of a session now.
    func viewerCount(of sessionID: String) -> Int64 {
        rooms.withLock { Int64($0[sessionID]?.subscribers.count ?? 0) }
    }

    /// Open streams of all sessions, for `/metrics`.
    var totalViewers: Int {
        rooms.withLock { $0.values.reduce(0) { $0 + $1.subscribers.count } }
    }

    // MARK: - Fan-out

    /// New events of `sessionID` were committed: make sure a pump delivers them.
    func notify(_ sessionID: String) {
        let room = rooms.withLock { rooms -> Room? in
            guard let room = rooms[sessionID] else { return nil }
            if room.pumping {
                room.again = true
                return nil
            }
            room.pumping = true
            return room
        }
        guard let room else { return }
        Task { await pump(room, sessionID: sessionID) }
    }

    private func pump(_ room: Room, sessionID: String) async {
        while true {
            let cursor = rooms.withLock { _ in room.cursor }
            let events: [StoredEvent]
            do {
                events = try await database.read { db in
                    try LiveStore.events(of: sessionID, after: cursor, limit: EventHub.pumpBatch, in: db)
                }
            } catch {
                rooms.withLock { _ in room.pumping = false }
                return
            }
            let subscribers = rooms.withLock { _ -> [Subscriber] in
                if let last = events.last { room.cursor = last.id }
                return Array(room.subscribers.values)
            }
            if !events.isEmpty {
                // Each event is framed once, whatever the number of streams.
                let bytes = events.map(\.sse)
                for subscriber in subscribers { subscriber.deliver(events, bytes: bytes) }
            }
            let done = rooms.withLock { _ -> Bool in
                if room.removed { return true }
                if events.count == EventHub.pumpBatch || room.again {
                    room.again = false
                    return false
                }
                room.pumping = false
                return true
            }
            if done { return }
        }
    }

    // MARK: - Timer work

    /// Writes `viewers` to the sessions whose count changed and `likes` to those in `likes`; at most once per tick.
    func sendCounters(likes: [String: Int64]) {
        let work = rooms.withLock { rooms -> [(Room, [Subscriber], Int64?, Int64?)] in
            var work: [(Room, [Subscriber], Int64?, Int64?)] = []
            for (sessionID, room) in rooms {
                let viewers = room.viewersChanged ? Int64(room.subscribers.count) : nil
                let likeCount = likes[sessionID]
                guard viewers != nil || likeCount != nil else { continue }
                room.viewersChanged = false
                work.append((room, Array(room.subscribers.values), viewers, likeCount))
            }
            return work
        }
        for (_, subscribers, viewers, likeCount) in work {
            var bytes: [UInt8] = []
            if let viewers { bytes += Array("event: viewers\ndata: {\"viewer_count\":\(viewers)}\n\n".utf8) }
            if let likeCount { bytes += Array("event: likes\ndata: {\"like_count\":\(likeCount)}\n\n".utf8) }
            for subscriber in subscribers { subscriber.sendUnnumbered(bytes) }
        }
    }

    /// A comment line to every stream, so that proxies keep idle streams open.
    func heartbeat() {
        let all = rooms.withLock { rooms in rooms.values.flatMap { $0.subscribers.values } }
        let bytes = Array(": ping\n\n".utf8)
        for subscriber in all { subscriber.sendUnnumbered(bytes) }
    }

    /// Closes every stream, at shutdown.
    func closeAll() {
        let all = rooms.withLock { rooms in rooms.values.flatMap { $0.subscribers.values } }
        for subscriber in all { subscriber.close() }
    }

    // MARK: - Peaks

    private func notePeak(_ count: Int64, of sessionID: String) {
        peaks.withLock { peaks in
            let old = peaks[sessionID]?.peak ?? 0
            if count > old { peaks[sessionID] = (count, false) }
        }
    }

    /// The highest count seen in this process, for stats between two saves.
    func peak(of sessionID: String) -> Int64 {
        peaks.withLock { $0[sessionID]?.peak ?? 0 }
    }

    /// Peaks not saved yet; marks them saved.
    func takeUnsavedPeaks() -> [(String, Int64)] {
        peaks.withLock { peaks in
            var out: [(String, Int64)] = []
            for (sessionID, value) in peaks where !value.saved {
                out.append((sessionID, value.peak))
                peaks[sessionID] = (value.peak, true)
            }
            return out
        }
    }
}
