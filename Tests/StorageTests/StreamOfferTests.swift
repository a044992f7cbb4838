import Core
import Storage
import Testing

/// Events a follower of the whole log already read, offered to a key's streams (`StreamHub.offer`): written as they
/// are when the room is exactly there, otherwise read by the pump from its own cursor — never a gap or a repeat.
@Suite("Stream hub: offered pages")
struct StreamOfferTests {
    @Test("a page that starts where the room is gets written; one behind or ahead of it is read from the log instead")
    func offeredPages() async throws {
        let log = MemoryLog()
        for n in 1...3 { log.append("room", "tick", "{\"n\":\(n)}") }
        let hub = StreamHub(source: log.source)
        let sink = RecordingSink()
        _ = hub.attach(sink, key: "room", after: 3, newestID: 3)

        func page(_ ids: ClosedRange<Int64>) -> StreamPage {
            StreamPage(events: ids.map { StreamEvent(id: $0, name: "tick", data: "{\"n\":\($0)}") }, lastID: ids.upperBound, isFull: false)
        }
        for n in 4...5 { log.append("room", "tick", "{\"n\":\(n)}") }
        hub.offer(page(4...5), of: "room", after: 3)
        try await sink.wait { $0.ids == [4, 5] }

        // Behind: 4 and 5 are written already, so only 6 is new.
        log.append("room", "tick", "{\"n\":6}")
        hub.offer(page(4...6), of: "room", after: 3)
        try await sink.wait { $0.ids == [4, 5, 6] }

        // Ahead: a page that would skip 7 and 8 makes the pump read them first.
        for n in 7...9 { log.append("room", "tick", "{\"n\":\(n)}") }
        hub.offer(page(9...9), of: "room", after: 8)
        try await sink.wait { $0.ids == Array(4...9) }
        #expect(sink.frames.last == SSEFrame(id: 9, name: "tick", data: "{\"n\":9}"))

        // A key without streams takes nothing.
        hub.offer(page(1...1), of: "elsewhere", after: 0)
        #expect(hub.keysWithStreams(among: ["room", "elsewhere"]) == ["room"])
    }

    @Test("the follower hands a burst to 200 open account streams: each gets its own events once, in order")
    func burstToManyStreams() async throws {
        try await withTemporaryDatabase { db, _ in
            try await db.migrate(EventLog.migrations)
            let streams = EventLogStreams(database: db, eventName: StreamHubTests.accountNames)
            streams.start()
            let accounts = (0..<300).map { "acct_\($0)" }
            let sinks = (0..<200).map { _ in RecordingSink() }
            for (account, sink) in zip(accounts, sinks) {
                let start = try await streams.prepare(stream: EventLog.accountStream(account), lastEventID: nil)
                _ = streams.attach(sink, to: start)
            }
            // Two rounds, each one transaction: a skipped name between the mapped ones, more entries than one page.
            for round in 0..<2 {
                let burst = Self.burst(round: round, to: accounts)
                try await db.write { db in try EventLog.appendAll(burst, now: 1, in: db) }
            }
            for sink in sinks { try await sink.wait { $0.ids == [1, 3, 4, 6] } }
            #expect(sinks.allSatisfy { $0.frames.map(\.name) == ["inbox.created", "order.updated", "inbox.created", "order.updated"] })
            #expect(sinks[7].frames.last?.data == "{\"round\":1}")
            await streams.stop()
        }
    }

    static func burst(round: Int, to accounts: [String]) -> [EventLog.Entry] {
        accounts.flatMap { account in
            ["inbox.created", "account.login_failed", "order.paid"].map {
                EventLog.Entry($0, stream: EventLog.accountStream(account), data: ["round": .int(Int64(round))])
            }
        }
    }
}
