import Core

/// One open event stream of a ``StreamHub``.
///
/// It starts by replaying the log from the database while live events collect in a buffer; once the replay is
/// written it writes the buffered events it did not replay and then live ones, so a stream never skips or repeats
/// an id, whatever the timing of commits, replay and fan-out.
final class StreamSubscriber: Sendable {
    enum State {
        /// Replaying; live events wait here.
        case replaying(buffer: [StreamEvent])
        /// Live: events with an id above `after` are written.
        case live(after: Int64)
        case closed
    }

    /// Bytes one replay may write, well under the server's 256 KiB stream buffer.
    static let replayBudget = 128 * 1024

    let key: String
    let sink: any EventSink
    private let endsStream: @Sendable (StreamEvent) -> Bool
    private let state = Mutex<State>(.replaying(buffer: []))

    init(key: String, sink: any EventSink, endsStream: @escaping @Sendable (StreamEvent) -> Bool) {
        self.key = key
        self.sink = sink
        self.endsStream = endsStream
    }

    /// Live events from the hub's pump, in id order, with their frames (framed once for all streams).
    func deliver(_ events: [StreamEvent], frames: [[UInt8]]) {
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
                    if !write(event, frame: frames[index], state: &state) { return }
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
    /// - Parameter complete: `false` when the replay stopped reading at the budget: the stream ends after
    ///   `replayed`, since the buffer's events may lie beyond ids that were not read.
    func finishReplay(_ replayed: [StreamEvent], after lastEventID: Int64, complete: Bool) {
        state.withLock { state in
            guard case let .replaying(buffer) = state else { return }
            var after = lastEventID
            var written = 0
            for event in complete ? replayed + buffer : replayed where event.id > after {
                let frame = event.frame
                if written > 0, written + frame.count > Self.replayBudget {
                    sink.close()
                    state = .closed
                    return
                }
                written += frame.count
                after = event.id
                if !write(event, frame: frame, state: &state) { return }
            }
            guard complete else {
                sink.close()
                state = .closed
                return
            }
            state = .live(after: after)
        }
    }

    /// A comment or an event without an id (a live session's `likes`, `viewers`); its order against numbered
    /// events does not matter.
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

    /// Writes one event; closes the stream after an event that ends it or when the sink refused it.
    private func write(_ event: StreamEvent, frame: [UInt8], state: inout State) -> Bool {
        guard sink.send(frame) else {
            state = .closed
            return false
        }
        if endsStream(event) {
            sink.close()
            state = .closed
            return false
        }
        return true
    }
}
