import Core
import Storage
import Testing

/// The dispatcher passes over events a consumer does not take without writing its cursor, and still handles every
/// event it takes exactly once.
@Suite("Event dispatcher: events a consumer does not take")
struct DispatcherSkipTests {
    @Test("a burst of other events writes no cursor; the next own event is handled once and the cursor passes both")
    func passesOverOthers() async throws {
        try await withTemporaryDatabase { db, _ in
            try await db.migrate(EventLog.migrations)
            let handled = Mutex<[Int64]>([])
            let consumer = EventConsumer(name: "mine", names: ["a.happened"]) { event, _ in
                handled.withLock { $0.append(event.id) }
            }
            let dispatcher = EventDispatcher(database: db, consumers: [consumer], clock: SystemClock(), logger: Logger(sink: { _ in }))
            try await db.write { db in
                try EventLog.appendAll((0..<300).map { _ in EventLog.Entry("b.happened", stream: "s", data: [:]) }, now: 1, in: db)
            }
            await dispatcher.catchUp()
            #expect(try await db.read { db in try EventLog.cursor(of: "mine", in: db) } == nil, "nothing to do: no write")
            #expect(handled.withLock { $0 }.isEmpty)

            let own = try await db.write { db in try EventLog.append("a.happened", stream: "s", data: [:], now: 2, in: db) }
            try await db.write { db in try EventLog.append("b.happened", stream: "s", data: [:], now: 2, in: db) }
            await dispatcher.catchUp()
            await dispatcher.catchUp()
            #expect(handled.withLock { $0 } == [own.id])
            #expect(try await db.read { db in try EventLog.cursor(of: "mine", in: db) } == own.id + 1)
        }
    }
}
