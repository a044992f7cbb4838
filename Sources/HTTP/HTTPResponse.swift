import Core

/// A response a handler returns; the server adds `Date`, `Content-Length`, `X-Request-Id` and the other
/// connection-level headers when it serializes it.
public struct HTTPResponse: Sendable {
    /// How the body is produced.
    public enum Body: Sendable {
        /// A complete body, sent with `Content-Length`.
        case bytes([UInt8])
        /// A stream: the closure receives a writer and may keep it to write later from any thread; sent chunked
        /// (HTTP/1.1) or until close (HTTP/1.0), and the connection is never reused afterwards.
        case stream(@Sendable (any EventStreamWriter) -> Void)
    }

    public var status: Int
    public var headers: HTTPHeaders
    public var body: Body

    /// - Parameters:
    ///   - status: the status code.
    ///   - headers: header fields.
    ///   - body: the body.
    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: Body) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// - Parameters:
    ///   - status: the status code.
    ///   - headers: header fields.
    ///   - body: the complete body bytes.
    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.init(status: status, headers: headers, body: .bytes(body))
    }

    /// The body bytes, or an empty array for a stream.
    public var bodyBytes: [UInt8] {
        if case .bytes(let bytes) = body { return bytes }
        return []
    }

    /// A JSON response with `Content-Type: application/json; charset=utf-8`.
    /// - Parameters:
    ///   - status: the status code.
    ///   - bytes: encoded JSON.
    /// - Returns: the response.
    public static func json(status: Int = 200, _ bytes: [UInt8]) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json; charset=utf-8"], body: bytes)
    }

    /// A plain text response with `Content-Type: text/plain; charset=utf-8`.
    /// - Parameters:
    ///   - status: the status code.
    ///   - text: the body.
    /// - Returns: the response.
    public static func text(status: Int = 200, _ text: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Array(text.utf8))
    }

    /// An RFC 9457 problem document, `application/problem+json`.
    /// - Parameters:
    ///   - status: the status code, repeated in the body.
    ///   - code: the stable code of API.md §1; the `type` is `/problems/<code>`.
    ///   - title: a short summary for people.
    ///   - detail: an explanation of this occurrence; never secrets.
    /// - Returns: the response.
    public static func problem(status: Int, code: String, title: String, detail: String) -> HTTPResponse {
        var json = "{\"type\":"
        JSONString.append("/problems/\(code)", to: &json)
        json += ",\"title\":"
        JSONString.append(title, to: &json)
        json += ",\"status\":\(status),\"code\":"
        JSONString.append(code, to: &json)
        json += ",\"detail\":"
        JSONString.append(detail, to: &json)
        json += "}"
        return HTTPResponse(status: status, headers: ["Content-Type": "application/problem+json"], body: Array(json.utf8))
    }
}

/// The outcome of `EventStreamWriter.write(_:)`.
public enum StreamWriteResult: Sendable, Equatable {
    /// Queued for sending.
    case accepted
    /// The unsent bytes would have exceeded the stream buffer limit; the connection is being closed.
    case overflowed
    /// The stream was already closed; nothing was queued.
    case closed
}

/// The sending side of a streaming response (for example server-sent events).
///
/// Every method is thread-safe and non-blocking, so a fan-out hub may write the same event to many streams.
public protocol EventStreamWriter: AnyObject, Sendable {
    /// Queues `bytes` (framing is added by the server) and wakes the connection's event loop.
    /// - Parameter bytes: the payload, for example one SSE event.
    /// - Returns: whether the bytes were queued.
    func write(_ bytes: [UInt8]) -> StreamWriteResult
    /// Ends the stream and closes the connection once queued bytes are sent.
    func close()
    /// Registers a handler that runs exactly once when the connection goes away for any reason; at once if it
    /// already has.
    func onClose(_ handler: @escaping @Sendable () -> Void)
    /// Whether the stream is closed (or closing).
    var isClosed: Bool { get }
}
