import Core
import Foundation
import Storage
import Testing

/// The generic event-stream fan-out (`StreamHub`) with an in-memory log and a sink that records what it is sent,
/// and the account stream (`EventLogStreams`) over a real event log.
@Suite("Stream hub")
struct StreamHubTests {
    @Test("a stream replays after its Last-Event-ID, then gets new events after notify")
    func replayThenLive() async throws {
        let log = MemoryLog()
        for n in 1...5 { log.append("room", "tick", "{\"n\":\(n)}") }
        let hub = StreamHub(source: log.source)
        let sink = RecordingSink()
        let detach = hub.attach(sink, key: "room", after: 2, newestID: log.newest("room"))
        try await sink.wait { $0.ids == [3, 4, 5] }

        log.append("room", "tick", "{\"n\":6}")
        hub.notify("room")
        try await sink.wait { $0.ids == [3, 4, 5, 6] }
        #expect(sink.frames.last == SSEFrame(id: 6, name: "tick", data: "{\"n\":6}"))
        #expect(hub.subscriberCount(of: "room") == 1)
        detach()
        #expect(hub.subscriberCount(of: "room") == 0)
        #expect(sink.isClosed)
    }

    @Test("a first connection (after the newest id) gets only events committed later")
    func firstConnection() async throws {
        let log = MemoryLog()
        for _ in 1...3 { log.append("room", "old", "{}") }
        let hub = StreamHub(source: log.source)
        let sink = RecordingSink()
        let newest = log.newest("room")
        _ = hub.attach(sink, key: "room", after: newest, newestID: newest)
        log.append("room", "new", "{}")
        hub.notify("room")
        try await sink.wait { $0.ids == [4] }
        #expect(sink.frames.map(\.name) == ["new"])
    }

    @Test("events appended while the replay reads are written once each, none skipped", arguments: [false, true])
    func appendDuringReplay(pageSeesAppends: Bool) async throws {
        let log = MemoryLog()
        for n in 1...5 { log.append("room", "tick", "{\"n\":\(n)}") }
        let hub = StreamHub(source: log.source)
        // The replay's read (after id 2) races with three commits and their notifications: they land either only
        // in the pump's buffer (the page was read before them) or in both the page and the buffer.
        log.onRead({ key, after in
            guard after == 2 else { return }
            for n in 6...8 { log.append(key, "tick", "{\"n\":\(n)}") }
            hub.notify(key)
            try? await Task.sleep(for: .milliseconds(50))  // let the pump deliver into the buffer first
        }, pageAfterHook: pageSeesAppends)
        let sink = RecordingSink()
        _ = hub.attach(sink, key: "room", after: 2, newestID: 5)
        try await sink.wait { $0.ids.last == 8 }
        try await Task.sleep(for: .milliseconds(50))
        #expect(sink.ids == [3, 4, 5, 6, 7, 8])
    }

    @Test("streams attached at random moments of a burst each get every later id once, in order")
    func burst() async throws {
        let log = MemoryLog()
        let hub = StreamHub(source: log.source)
        let total: Int64 = 300
        let writer = Task {
            for n in 1...total {
                log.append("room", "tick", "{\"n\":\(n)}")
                hub.notify("room")
                if n % 10 == 0 { await Task.yield() }
            }
        }
        var streams: [(RecordingSink, Int64)] = []
        for _ in 0..<20 {
            let newest = log.newest("room")
            let after = newest == 0 ? 0 : Int64.random(in: 0...newest)
            let sink = RecordingSink()
            _ = hub.attach(sink, key: "room", after: after, newestID: newest)
            streams.append((sink, after))
            try await Task.sleep(for: .microseconds(Int.random(in: 0...500)))
        }
        await writer.value
        hub.notify("room")
        for (sink, after) in streams where after < total {
            try await sink.wait { $0.ids.last == total }
            #expect(sink.ids == Array((after + 1)...total))
        }
        try await Task.sleep(for: .milliseconds(20))
        for (sink, after) in streams where after == total { #expect(sink.ids == []) }
    }

    @Test("a stream ends after the event its source marks as the last, and closeAll ends the others")
    func endingEvent() async throws {
        let log = MemoryLog()
        let source = StreamSource(read: log.source.read, endsStream: { $0.name == "session.ended" })
        let hub = StreamHub(source: source)
        let ending = RecordingSink()
        let other = RecordingSink()
        _ = hub.attach(ending, key: "a", after: 0, newestID: 0)
        _ = hub.attach(other, key: "b", after: 0, newestID: 0)
        log.append("a", "pin.added", "{}")
        log.append("a", "session.ended", "{}")
        log.append("a", "never.sent", "{}")
        hub.notify("a")
        try await ending.wait { $0.isClosed }
        #expect(ending.frames.map(\.name) == ["pin.added", "session.ended"])

        hub.heartbeat()
        try await other.wait { $0.comments == ["ping"] }
        hub.closeAll()
        #expect(other.isClosed)
    }

    @Test("a client far behind gets a bounded part of the replay, then the rest when it resumes")
    func replayBudget() async throws {
        let log = MemoryLog()
        let payload = "\"" + String(repeating: "x", count: 1000) + "\""
        for _ in 1...300 { log.append("room", "big", payload) }
        let hub = StreamHub(source: log.source)
        var after: Int64 = 0
        var received: [Int64] = []
        for _ in 0..<5 where after < 300 {
            let sink = RecordingSink()
            _ = hub.attach(sink, key: "room", after: after, newestID: 300)
            try await sink.wait { $0.isClosed || $0.ids.last == 300 }
            #expect(sink.bytes.count <= 128 * 1024)
            received += sink.ids
            after = sink.ids.last ?? after
        }
        #expect(received == Array(1...300))
    }

    // MARK: - The account stream over the event log

    @Test("account stream: id is the sequence, names are mapped, unmapped events are skipped, live after notify")
    func accountStream() async throws {
        try await withTemporaryDatabase { db, _ in
            try await db.migrate(EventLog.migrations)
            let stream = EventLog.accountStream("acct_1")
            try await db.write { db in
                try EventLog.append("order.paid", stream: stream, data: ["order_id": "ord_1"], now: 1, in: db)
                try EventLog.append("account.login_failed", stream: stream, data: [:], now: 2, in: db)
                try EventLog.append("order.paid", stream: EventLog.accountStream("acct_2"), data: [:], now: 2, in: db)
                try EventLog.append("inbox.created", stream: stream, data: ["id": "ntf_1"], now: 3, in: db)
            }
            let streams = EventLogStreams(database: db, eventName: Self.accountNames)
            let start = try await streams.prepare(stream: stream, lastEventID: 0)
            #expect(start.stream == stream && start.after == 0 && start.newest == 3)
            let sink = RecordingSink()
            _ = streams.attach(sink, to: start)
            try await sink.wait { $0.ids == [1, 3] }
            #expect(sink.frames == [
                SSEFrame(id: 1, name: "order.updated", data: "{\"order_id\":\"ord_1\"}"),
                SSEFrame(id: 3, name: "inbox.created", data: "{\"id\":\"ntf_1\"}"),
            ])

            try await db.write { db in
                try EventLog.append("account.login_failed", stream: stream, data: [:], now: 4, in: db)
                try EventLog.append("order.refunded", stream: stream, data: ["order_id": "ord_1"], now: 4, in: db)
            }
            streams.notify(stream)
            try await sink.wait { $0.ids == [1, 3, 5] }
            #expect(sink.frames.last?.name == "order.updated")

            // A first connection starts after the newest sequence.
            let fresh = try await streams.prepare(stream: stream, lastEventID: nil)
            #expect(fresh.after == 5)
            await streams.stop()
            #expect(sink.isClosed)
        }
    }

    @Test("more skipped events than one page still move the cursor to the next mapped one")
    func skippedPages() async throws {
        try await withTemporaryDatabase { db, _ in
            try await db.migrate(EventLog.migrations)
            let stream = EventLog.accountStream("acct_1")
            let streams = EventLogStreams(database: db, eventName: Self.accountNames)
            let replaying = RecordingSink()
            _ = streams.attach(replaying, to: try await streams.prepare(stream: stream, lastEventID: 0))
            let live = RecordingSink()
            _ = streams.attach(live, to: try await streams.prepare(stream: stream, lastEventID: nil))
            try await db.write { db in
                for _ in 1...1200 { try EventLog.append("account.login_failed", stream: stream, data: [:], now: 1, in: db) }
                try EventLog.append("inbox.created", stream: stream, data: [:], now: 1, in: db)
            }
            streams.notify(stream)
            try await live.wait { $0.ids == [1201] }
            try await replaying.wait { $0.ids == [1201] }

            let resumed = RecordingSink()
            _ = streams.attach(resumed, to: try await streams.prepare(stream: stream, lastEventID: 0))
            try await resumed.wait { $0.ids == [1201] }
            await streams.stop()
        }
    }

    @Test("once started, the streams follow the log: a commit reaches an open stream without notify")
    func followsTheLog() async throws {
        try await withTemporaryDatabase { db, _ in
            try await db.migrate(EventLog.migrations)
            let streams = EventLogStreams(database: db, eventName: Self.accountNames)
            streams.start()
            let stream = EventLog.accountStream("acct_1")
            let sink = RecordingSink()
            _ = streams.attach(sink, to: try await streams.prepare(stream: stream, lastEventID: nil))
            #expect(streams.openStreams(of: stream) == 1)
            try await Task.sleep(for: .milliseconds(100))  // the pump that attach started has read and stopped
            try await db.write { db in
                try EventLog.append("inbox.created", stream: stream, data: ["id": "ntf_1"], now: 1, in: db)
            }
            try await sink.wait { $0.ids == [1] }
            await streams.stop()
            #expect(sink.isClosed)
        }
    }

    static let accountNames: @Sendable (String) -> String? = { name in
        switch name {
        case "order.paid", "order.refunded": "order.updated"
        case "inbox.created": name
        default: nil
        }
    }
}

// MARK: - Fakes

/// A log in memory: ids 1, 2, 3 … per key, and an optional hook that runs inside a read.
final class MemoryLog: Sendable {
    private let entries = Mutex<[String: [StreamEvent]]>([:])
    private let hook = Mutex<(run: @Sendable (String, Int64) async -> Void, pageAfterHook: Bool)?>(nil)

    @discardableResult
    func append(_ key: String, _ name: String, _ data: String) -> Int64 {
        entries.withLock { entries in
            let id = Int64((entries[key]?.count ?? 0) + 1)
            entries[key, default: []].append(StreamEvent(id: id, name: name, data: data))
            return id
        }
    }

    func newest(_ key: String) -> Int64 { entries.withLock { Int64($0[key]?.count ?? 0) } }

    /// Runs `run` inside every read; the page is taken before it, or after it when `pageAfterHook`.
    func onRead(_ run: @escaping @Sendable (String, Int64) async -> Void, pageAfterHook: Bool) {
        hook.withLock { $0 = (run, pageAfterHook) }
    }

    var source: StreamSource {
        StreamSource { [self] key, after, limit in
            let page = { [self] in
                entries.withLock { entries in
                    Array((entries[key] ?? []).filter { $0.id > after }.prefix(limit))
                }
            }
            guard let hook = hook.withLock({ $0 }) else { return StreamPage(events: page(), limit: limit) }
            if hook.pageAfterHook {
                await hook.run(key, after)
                return StreamPage(events: page(), limit: limit)
            }
            let events = page()
            await hook.run(key, after)
            return StreamPage(events: events, limit: limit)
        }
    }
}

struct SSEFrame: Equatable, Sendable {
    var id: Int64
    var name: String
    var data: String
}

/// Records the bytes a hub sends and parses them as server-sent events.
final class RecordingSink: EventSink {
    private let state = Mutex<(bytes: [UInt8], closed: Bool)>(([], false))

    func send(_ bytes: [UInt8]) -> Bool {
        state.withLock { state in
            guard !state.closed else { return false }
            state.bytes += bytes
            return true
        }
    }

    func close() { state.withLock { $0.closed = true } }

    var bytes: [UInt8] { state.withLock { $0.bytes } }
    var isClosed: Bool { state.withLock { $0.closed } }

    private var blocks: [[Substring]] {
        String(decoding: bytes, as: UTF8.self).components(separatedBy: "\n\n").filter { !$0.isEmpty }
            .map { $0.split(separator: "\n") }
    }

    var frames: [SSEFrame] {
        blocks.compactMap { lines in
            func value(_ field: String) -> String? {
                lines.first { $0.hasPrefix(field + ": ") }.map { String($0.dropFirst(field.count + 2)) }
            }
            guard let id = value("id").flatMap({ Int64($0) }), let name = value("event") else { return nil }
            return SSEFrame(id: id, name: name, data: value("data") ?? "")
        }
    }

    var ids: [Int64] { frames.map(\.id) }

    var comments: [String] {
        blocks.flatMap { $0 }.filter { $0.hasPrefix(": ") }.map { String($0.dropFirst(2)) }
    }

    /// Waits for `condition`, up to 20 seconds: the whole suite runs in parallel on two cores.
    func wait(_ condition: (RecordingSink) -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while !condition(self) {
            guard ContinuousClock.now < deadline else {
                Issue.record("timed out; got ids \(ids), closed: \(isClosed)")
                return
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
