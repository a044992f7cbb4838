import Core
import Storage
import Testing

@Suite("Event log: many events at once")
struct EventLogBatchTests {
    @Test("appendAll numbers streams exactly as append one by one, in chunks of any size, new and existing streams")
    func sameAsOneByOne() async throws {
        // 300 entries over 7 streams, two of them with events already: more than two chunks of rows (128 + 128 + 32
        // + 8 + 4), and a stream's entries spread over all of them.
        let entries = (0..<301).map { i in
            EventLog.Entry(i % 5 == 0 ? "b.happened" : "a.happened", stream: "s\(i % 7)", data: ["n": .int(Int64(i))])
        }
        func run(batch: Bool) async throws -> [String] {
            try await withTemporaryDatabase { db, _ in
                try await db.migrate(EventLog.migrations)
                return try await db.write { db in
                    for stream in ["s1", "s4"] { try EventLog.append("earlier", stream: stream, data: [:], now: 1, in: db) }
                    if batch {
                        try EventLog.appendAll(entries, now: 2, in: db)
                    } else {
                        for entry in entries {
                            try EventLog.append(entry.name, stream: entry.stream, data: entry.data, now: 2, in: db)
                        }
                    }
                    let rows = try db.query("SELECT * FROM domain_events ORDER BY id").map { row in
                        ["id", "stream", "sequence", "name", "data", "created_at"].map { "\(row[$0])" }.joined(separator: " ")
                    }
                    let counters = try db.query("SELECT * FROM event_streams ORDER BY stream").map {
                        "\($0.string("stream"))=\($0.int64("last_sequence"))"
                    }
                    return rows + counters
                }
            }
        }
        let batch = try await run(batch: true)
        #expect(batch == (try await run(batch: false)))
        #expect(batch.count == 2 + 301 + 7)
    }
}
