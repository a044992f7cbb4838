import Core

/// The events parsed during one pass of the dispatcher over its consumers, by id, so consumers that take the same
/// event share one parse.
///
/// Emptied at the start of every pass, so it holds at most a batch per consumer. An event a consumer gets from here
/// is the event as it was earlier in the same pass (erasure may rewrite an event's data meanwhile), which is what
/// that consumer would have read had it come first.
final class ParsedEvents: Sendable {
    private let events = Mutex<[Int64: DomainEvent]>([:])

    func removeAll() {
        events.withLock { $0.removeAll(keepingCapacity: true) }
    }

    /// The event of `row`, parsed once per pass.
    func event(_ row: Row) -> DomainEvent {
        let id = row.int64("id")
        if let hit = events.withLock({ $0[id] }) { return hit }
        let event = EventLog.event(row)
        events.withLock { $0[id] = event }
        return event
    }
}
