/// Where a ``StreamHub`` writes one stream's bytes. The API module adapts the HTTP server's stream writer to it, so
/// neither Storage nor a feature ever speaks HTTP (STYLE.md §2.2).
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
