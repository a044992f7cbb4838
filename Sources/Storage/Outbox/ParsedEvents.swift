import Core

/// The events parsed during one pass of the dispatcher over its consumers, by id, so consumers that take the same
/// event share one parse.
///
/// Emptied at the start of every pass, so it holds at most a batch per consumer. An entry counts only for a row whose
/// stored text is the text it was parsed from: a consumer reads events that earlier writes of its own group-commit
/// batch appended, and when that batch is rolled back and runs again, the same ids hold new events (another refund's
/// id; a stale one made the recommendations consumer miss a refund's units under kill -9, CrashSafetyTests). An
/// event rewritten by erasure misses too.
final class ParsedEvents: Sendable {
    private let parsed = Mutex<[Int64: (text: String, data: JSON)]>([:])

    func removeAll() {
        parsed.withLock { $0.removeAll(keepingCapacity: true) }
    }

    /// The event of `row`, its data parsed once per pass.
    func event(_ row: Row) -> DomainEvent {
        let (id, text) = (row.int64("id"), row.string("data"))
        if let hit = parsed.withLock({ $0[id] }), hit.text == text { return EventLog.event(row, id: id, data: hit.data) }
        let event = EventLog.event(row)
        parsed.withLock { $0[id] = (text, event.data) }
        return event
    }
}
