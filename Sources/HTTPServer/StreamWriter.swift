import Core
import HTTP

/// The `EventStreamWriter` of one streaming connection.
///
/// Writers on any thread queue payloads under a lock and wake the owning loop once; the loop takes them, frames
/// them and reports what reached the socket, so `unsent` bounds the memory a slow reader can pin.
///
/// A payload is queued as the caller's array, not copied or framed here: a fan-out writes the same event to
/// thousands of streams, and every stream then holds a reference to one shared buffer instead of its own copy.
/// Framing happens on the loop, straight into its send buffer.
final class StreamWriter: EventStreamWriter {
    struct State {
        /// Payloads in write order, not yet framed.
        var pending: [[UInt8]] = []
        /// Framed bytes accepted but not yet written to the socket (pending plus those the loop holds).
        var unsent = 0
        var isClosed = false
        var overflowed = false
        var closeRequested = false
        /// The loop was already asked to look at this stream.
        var scheduled = false
        /// The connection is gone; handlers registered from now on run at once.
        var finished = false
        var handlers: [@Sendable () -> Void] = []
    }

    /// What the loop should do after taking bytes.
    enum Disposition {
        case keepOpen
        /// `close()` was called: send the last chunk, then close.
        case finish
        /// The buffer overflowed: close at once.
        case abort
    }

    private let state = Mutex(State())
    private let limit: Int
    /// Each payload goes out as one chunk (HTTP/1.1); otherwise as it is.
    let chunked: Bool
    private let notify: @Sendable () -> Void

    /// - Parameters:
    ///   - limit: the most unsent bytes allowed.
    ///   - chunked: frame each write as a chunk (HTTP/1.1).
    ///   - notify: wakes the owning loop for this connection; thread-safe.
    init(limit: Int, chunked: Bool, notify: @escaping @Sendable () -> Void) {
        self.limit = limit
        self.chunked = chunked
        self.notify = notify
    }

    func write(_ bytes: [UInt8]) -> StreamWriteResult {
        // An empty chunk would end a chunked body (RFC 9112 §7.1), so it is dropped.
        guard !bytes.isEmpty else { return isClosed ? .closed : .accepted }
        let framed = chunked ? ResponseWriter.chunkSize(bytes.count) : bytes.count
        let (result, wake) = state.withLock { state -> (StreamWriteResult, Bool) in
            if state.isClosed { return (.closed, false) }
            if state.unsent + framed > limit {
                state.isClosed = true
                state.overflowed = true
                state.pending = []
                let wake = !state.scheduled
                state.scheduled = true
                return (.overflowed, wake)
            }
            state.pending.append(bytes)
            state.unsent += framed
            let wake = !state.scheduled
            state.scheduled = true
            return (.accepted, wake)
        }
        if wake { notify() }
        return result
    }

    func close() {
        let wake = state.withLock { state -> Bool in
            guard !state.isClosed else { return false }
            state.isClosed = true
            state.closeRequested = true
            let wake = !state.scheduled
            state.scheduled = true
            return wake
        }
        if wake { notify() }
    }

    func onClose(_ handler: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state -> Bool in
            if state.finished { return true }
            state.handlers.append(handler)
            return false
        }
        if runNow { handler() }
    }

    var isClosed: Bool { state.withLock { $0.isClosed } }

    // MARK: - Loop side

    /// Takes the queued payloads into `payloads` (which must be empty); called on the loop thread after a wake-up.
    ///
    /// The two arrays trade places, so the loop's emptied array (its capacity kept) becomes this stream's queue and
    /// neither side allocates once both have held a payload.
    func take(into payloads: inout [[UInt8]]) -> Disposition {
        state.withLock { state in
            state.scheduled = false
            if state.overflowed {
                state.pending = []
                return .abort
            }
            swap(&state.pending, &payloads)
            return state.closeRequested ? .finish : .keepOpen
        }
    }

    /// `count` stream bytes reached the socket.
    func sent(_ count: Int) {
        state.withLock { $0.unsent = max(0, $0.unsent - count) }
    }

    /// The connection closed: run every `onClose` handler exactly once, outside the lock.
    func connectionClosed() {
        let handlers = state.withLock { state -> [@Sendable () -> Void] in
            guard !state.finished else { return [] }
            state.finished = true
            state.isClosed = true
            state.pending = []
            defer { state.handlers = [] }
            return state.handlers
        }
        for handler in handlers { handler() }
    }
}
