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

    /// Live events from the hub's pump, in id order, framed once for all streams.
    ///
    /// A stream takes the whole batch in one write (the usual case: every event is new to it and none ends it), so a
    /// burst such as a bidding war costs one write per stream per batch rather than one per event; otherwise the
    /// frames it has not seen, up to an event that ends it, are joined into one write.
    func deliver(_ batch: EventBatch) {
        state.withLock { state in
            switch state {
            case .closed:
                return
            case var .replaying(buffer):
                buffer.append(contentsOf: batch.events)
                state = .replaying(buffer: buffer)
            case let .live(after):
                guard let start = batch.events.firstIndex(where: { $0.id > after }) else { return }
                let end = batch.endingIndex.map { $0 >= start ? $0 + 1 : batch.events.count } ?? batch.events.count
                let bytes = start == 0 && end == batch.events.count ? batch.joined : Array(batch.frames[start..<end].joined())
                guard sink.send(bytes) else {
                    state = .closed
                    return
                }
                if let ending = batch.endingIndex, ending >= start {
                    sink.close()
                    state = .closed
                    return
                }
                state = .live(after: batch.events[end - 1].id)
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
            // One write for the whole replay, like a live batch.
            var bytes: [UInt8] = []
            var ends = !complete
            for event in complete ? replayed + buffer : replayed where event.id > after {
                let frame = event.frame
                if !bytes.isEmpty, bytes.count + frame.count > Self.replayBudget {
                    ends = true
                    break
                }
                bytes += frame
                after = event.id
                if endsStream(event) {
                    ends = true
                    break
                }
            }
            if !bytes.isEmpty, !sink.send(bytes) {
                state = .closed
                return
            }
            if ends {
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

}

/// One page of events as the hub's pump read it, framed once for every stream of the key.
struct EventBatch: Sendable {
    let events: [StreamEvent]
    let frames: [[UInt8]]
    /// Every frame in order: what almost every stream is sent, one shared buffer.
    let joined: [UInt8]
    /// The first event after which the stream ends, if the batch holds one.
    let endingIndex: Int?

    init(_ events: [StreamEvent], endsStream: (StreamEvent) -> Bool) {
        self.events = events
        frames = events.map(\.frame)
        joined = Array(frames.joined())
        endingIndex = events.firstIndex(where: endsStream)
    }
}
