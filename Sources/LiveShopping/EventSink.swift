import Core

/// Where the hub writes one stream's bytes; the API module adapts the HTTP server's stream writer to it, so live
/// shopping never speaks HTTP (STYLE.md §2.2).
///
/// Both methods must be thread-safe and must never block: the hub calls them for thousands of streams in a row.
public protocol EventSink: AnyObject, Sendable {
    /// Queues bytes for the client.
    /// - Parameter bytes: one complete server-sent event or comment.
    /// - Returns: `false` when the stream is closed, or was just closed because its bounded buffer overflowed.
    func send(_ bytes: [UInt8]) -> Bool
    /// Ends the stream after what is queued.
    func close()
}

/// One open event stream of a session.
///
/// It starts by replaying the log from the database while live events collect in a buffer; once the replay is
/// written it writes the buffered events it did not replay and then live ones, so a stream never skips or repeats
/// an id, whatever the timing of commits, replay and fan-out.
final class Subscriber: Sendable {
    enum State {
        /// Replaying; live events wait here.
        case replaying(buffer: [StoredEvent])
        /// Live: events with an id above `after` are written.
        case live(after: Int64)
        case closed
    }

    let sessionID: String
    let sink: any EventSink
    private let state = Mutex<State>(.replaying(buffer: []))

    init(sessionID: String, sink: any EventSink) {
        self.sessionID = sessionID
        self.sink = sink
    }

    /// Live events from the hub's pump, in id order.
    func deliver(_ events: [StoredEvent], bytes: [[UInt8]]) {
        state.withLock { state in
            switch state {
            case .closed:
                return
            case var .replaying(buffer):
                buffer.append(contentsOf: events)
                state = .replaying(buffer: buffer)
            case var .live(after):
                for (index, event) in events.enumerated() where event.id > after {
                    after = event.id
                    if !write(event, bytes: bytes[index], state: &state) { return }
                }
                state = .live(after: after)
            }
        }
    }

    /// Ends the replay: writes `replayed` (events after the client's last id, read after this subscriber was
    /// registered), then what the pump buffered meanwhile without repeating an id.
    ///
    /// A replay writes at most `replayBudget` bytes and then ends the stream: the server closes a stream whose
    /// unsent bytes pass its bound, so a client that missed a lot would otherwise be closed on every reconnect and
    /// never catch up. Ended this way, it resumes with the last id it got and receives the next part.
    func finishReplay(_ replayed: [StoredEvent], after lastEventID: Int64) {
        state.withLock { state in
            guard case let .replaying(buffer) = state else { return }
            var after = lastEventID
            var written = 0
            for event in replayed + buffer where event.id > after {
                let bytes = event.sse
                if written > 0, written + bytes.count > Subscriber.replayBudget {
                    sink.close()
                    state = .closed
                    return
                }
                written += bytes.count
                after = event.id
                if !write(event, bytes: bytes, state: &state) { return }
            }
            state = .live(after: after)
        }
    }

    /// Bytes one replay may write, well under the server's 256 KiB stream buffer.
    static let replayBudget = 128 * 1024

    /// A comment or an event without an id (`likes`, `viewers`); order against id events does not matter.
    func sendUnnumbered(_ bytes: [UInt8]) {
        state.withLock { state in
            if case .closed = state { return }
            if !sink.send(bytes) { state = .closed }
        }
    }

    func close() {
        state.withLock { state in
            state = .closed
            sink.close()
        }
    }

    /// Writes one event; closes the stream after `session.ended` (API.md §12) or when the sink refused it.
    private func write(_ event: StoredEvent, bytes: [UInt8], state: inout State) -> Bool {
        guard sink.send(bytes) else {
            state = .closed
            return false
        }
        if event.name == LiveEventName.sessionEnded {
            sink.close()
            state = .closed
            return false
        }
        return true
    }
}

/// The event names of API.md §9.
enum LiveEventName {
    static let sessionStarted = "session.started"
    static let sessionEnded = "session.ended"
    static let pinAdded = "pin.added"
    static let pinUpdated = "pin.updated"
    static let pinRemoved = "pin.removed"
    static let messageCreated = "message.created"
    static let messageDeleted = "message.deleted"
    static let orderPlaced = "order.placed"
    static let couponDropStarted = "coupon_drop.started"
    static let couponDropClaimed = "coupon_drop.claimed"
}
