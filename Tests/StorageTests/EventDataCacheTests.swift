import Core
@testable import Storage
import Testing

/// Consumers get an event's data from what this process appended or parsed before instead of parsing it again; what
/// they get must be what the row holds, whatever happened to the row since.
@Suite("Event log: data of appended and parsed events")
struct EventDataCacheTests {
    @Test("an entry is used only for the exact text it was made from, and a non-finite number is never kept")
    func matchesText() {
        let cache = EventDataCache(capacity: 8)
        cache.keep(3, text: #"{"v":1}"#, data: ["v": 1])
        #expect(cache.data(of: 3, text: #"{"v":1}"#) == ["v": 1])
        #expect(cache.data(of: 3, text: #"{"v":2}"#) == nil)
        #expect(cache.data(of: 11, text: #"{"v":1}"#) == nil, "another id in the same slot")
        cache.keep(11, text: "{}", data: [:])
        #expect(cache.data(of: 3, text: #"{"v":1}"#) == nil, "the newer id took the slot")
        cache.keep(4, text: "[null]", data: [.double(.infinity)])
        #expect(cache.data(of: 4, text: "[null]") == nil)
    }

    @Test("a kept parse is used only for the text it came from: an id that holds another event since is parsed again")
    func parseMatchesText() async throws {
        try await withTemporaryDatabase { db, _ in
            try await db.migrate(EventLog.migrations)
            let event = try await db.write { db in
                try EventLog.append("refund.created", stream: "s", data: ["refund_id": "ref_first"], now: 1, in: db)
            }
            func read() async throws -> DomainEvent {
                try await db.read { db in try db.query("SELECT * FROM domain_events WHERE id = ?", event.id).map(EventLog.event)[0] }
            }
            #expect(try await read().data == ["refund_id": "ref_first"])
            // As when a group-commit batch is rolled back and runs again: the same id, another event's data.
            try await db.write { db in
                try db.run("UPDATE domain_events SET data = ? WHERE id = ?", #"{"refund_id":"ref_second"}"#, event.id)
            }
            #expect(try await read().data == ["refund_id": "ref_second"])
            #expect(try await read().data == ["refund_id": "ref_second"], "the new parse is the one kept")
        }
    }

    @Test("a consumer gets the data as parsed from the row: nested values, an event rewritten after its append")
    func consumerSeesStoredData() async throws {
        try await withTemporaryDatabase { db, _ in
            try await db.migrate(EventLog.migrations)
            let seen = Mutex<[Int64: JSON]>([:])
            let consumer = EventConsumer(name: "reader", names: ["x.happened"]) { event, _ in
                seen.withLock { $0[event.id] = event.data }
            }
            let dispatcher = EventDispatcher(database: db, consumers: [consumer], clock: SystemClock(), logger: Logger(sink: { _ in }))
            let nested: JSON = ["items": [["id": "p1", "n": 2, "price": .double(1.5)]], "note": "Käse \"frisch\"\n", "none": .null]
            let kept = try await db.write { db in try EventLog.append("x.happened", stream: "s", data: nested, now: 1, in: db) }
            let rewritten = try await db.write { db in
                try EventLog.append("x.happened", stream: "t", data: ["text": "secret"], now: 1, in: db)
            }
            // Erasure rewrites an event's data in place; the kept entry must not outlive it.
            try await db.write { db in try EventLog.rewrite(stream: "t", in: db) { _ in ["text": ""] } }
            await dispatcher.catchUp()

            let stored = try await db.read { db in
                try db.query("SELECT id, data FROM domain_events ORDER BY id").map { ($0.int64("id"), $0.string("data")) }
            }
            for (id, text) in stored {
                #expect(seen.withLock { $0[id] } == (try JSONParser.parse(Array(text.utf8))))
            }
            #expect(seen.withLock { $0[kept.id] } == nested)
            #expect(seen.withLock { $0[rewritten.id] } == ["text": ""])
        }
    }

    @Test("two databases of one process with the same event ids each give their consumers their own data")
    func databasesDoNotMix() async throws {
        try await withTemporaryDatabase { first, _ in
            try await withTemporaryDatabase { second, _ in
                for db in [first, second] { try await db.migrate(EventLog.migrations) }
                let a = try await first.write { db in try EventLog.append("x.happened", stream: "s", data: ["db": "first"], now: 1, in: db) }
                let b = try await second.write { db in try EventLog.append("x.happened", stream: "s", data: ["db": "second"], now: 1, in: db) }
                #expect(a.id == b.id)
                let seen = Mutex<[JSON]>([])
                let consumer = EventConsumer(name: "reader", names: ["x.happened"]) { event, _ in seen.withLock { $0.append(event.data) } }
                await EventDispatcher(database: first, consumers: [consumer], clock: SystemClock(), logger: Logger(sink: { _ in })).catchUp()
                #expect(seen.withLock { $0 } == [["db": "first"]])
            }
        }
    }
}
