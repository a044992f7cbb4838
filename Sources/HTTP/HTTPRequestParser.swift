/// An incremental HTTP/1.x request parser (RFC 9112). Pure: it never touches a socket.
///
/// Feed bytes as they arrive with `feed(_:)`, then call `next()` until it returns `nil` (more bytes needed).
/// Each request yields `.head` once its header section is complete and `.end(body:)` once its body is; between
/// the two the caller may lower or raise the body limit with `setBodyLimit(_:)` (a per-route limit). Errors are
/// sticky: after one the parser keeps throwing it, because framing is lost (RFC 9112 §6.3).
public struct HTTPRequestParser: Sendable {
    /// What `next()` produces.
    public enum Event: Sendable, Equatable {
        /// A complete header section; the body follows.
        case head(HTTPRequestHead)
        /// The request's complete, decoded body (empty when it has none).
        case end(body: [UInt8])
    }

    enum State: Sendable {
        case requestLine
        case headers(RequestLine)
        case bodyPending(HTTPRequestHead)
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
    }

    struct RequestLine: Sendable {
        var method: HTTPMethod
        var target: String
        var version: HTTPVersion
    }

    /// The limits in force; `bodyBytes` is the default per request.
    public let limits: HTTPLimits
    var buffer: [UInt8] = []
    /// Index of the first unconsumed byte.
    var start = 0
    /// Where the search for the next LF resumes, so slow clients do not cause quadratic rescans.
    var scan = 0
    var state = State.requestLine
    var body: [UInt8] = []
    var bodyLimit: Int
    /// Header-section bytes and fields used by the current request; trailers count against the same budget.
    var sectionBytes = 0
    var sectionFields = 0
    /// The field lines of the head being parsed; kept outside `state` so appending never copies them.
    var fields: [HTTPHeaders.Element] = []
    var failure: HTTPParserError?

    /// - Parameter limits: size limits; see `HTTPLimits`.
    public init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
        self.bodyLimit = limits.bodyBytes
    }

    /// Appends received bytes.
    public mutating func feed(_ bytes: some Collection<UInt8>) {
        if start > 0, start >= buffer.count / 2 {
            buffer.removeFirst(start)
            scan -= start
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Bytes received but not yet consumed by a request.
    public var bufferedBytes: Int { buffer.count - start }

    /// Whether no part of a request has been received (between requests with an empty buffer).
    public var isIdle: Bool {
        if case .requestLine = state { return bufferedBytes == 0 }
        return false
    }

    /// Whether a request head was returned and its body is not complete yet.
    public var isReadingBody: Bool {
        switch state {
        case .requestLine, .headers: false
        default: true
        }
    }

    /// Sets the body limit of the request whose head was just returned (RFC 9110 §15.5.14 → 413 when exceeded).
    public mutating func setBodyLimit(_ limit: Int) { bodyLimit = limit }

    /// Parses as far as the buffered bytes allow.
    /// - Returns: the next event, or `nil` when more bytes are needed.
    /// - Throws: `HTTPParserError` for malformed or oversized input; the same error on every later call.
    public mutating func next() throws(HTTPParserError) -> Event? {
        if let failure { throw failure }
        do {
            return try step()
        } catch {
            failure = error
            throw error
        }
    }

    private mutating func step() throws(HTTPParserError) -> Event? {
        while true {
            switch state {
            case .requestLine:
                // RFC 9112 §2.2: ignore empty lines received before the request line.
                while bufferedBytes >= 2, buffer[start] == 13, buffer[start + 1] == 10 { start += 2 }
                if bufferedBytes == 1, buffer[start] == 13 { return nil }
                guard let line = try nextLine(maxLength: limits.requestLineBytes, error: .requestLineTooLong) else {
                    return nil
                }
                let requestLine = try RequestLineParser.parse(buffer[line])
                sectionBytes = 0
                sectionFields = 0
                fields = []
                fields.reserveCapacity(8)
                state = .headers(requestLine)
            case .headers(let requestLine):
                let remaining = limits.headerBytes - sectionBytes
                guard let line = try nextLine(maxLength: max(0, remaining - 2), error: .headersTooLarge) else {
                    return nil
                }
                if line.isEmpty {
                    let head = try FramingRules.head(requestLine, fields: HTTPHeaders(elements: fields))
                    fields = []
                    bodyLimit = limits.bodyBytes
                    state = .bodyPending(head)
                    return .head(head)
                }
                try countField(length: line.count)
                fields.append(try FieldLineParser.parse(buffer[line]))
            case .bodyPending(let head):
                body = []
                if head.isChunked {
                    state = .chunkSize
                } else if let length = head.contentLength, length > 0 {
                    guard length <= bodyLimit else { throw .bodyTooLarge }
                    body.reserveCapacity(length)
                    state = .fixedBody(remaining: length)
                } else {
                    return finish()
                }
            case .fixedBody(let remaining):
                let taken = takeBody(upTo: remaining)
                if taken == remaining { return finish() }
                state = .fixedBody(remaining: remaining - taken)
                return nil
            case .chunkSize:
                guard let line = try nextLine(maxLength: 1024, error: .invalidChunkSize) else { return nil }
                let size = try ChunkSizeParser.parse(buffer[line])
                if size == 0 {
                    state = .trailers
                } else {
                    guard size <= bodyLimit - body.count else { throw .bodyTooLarge }
                    state = .chunkData(remaining: size)
                }
            case .chunkData(let remaining):
                let taken = takeBody(upTo: remaining)
                if taken < remaining {
                    state = .chunkData(remaining: remaining - taken)
                    return nil
                }
                state = .chunkDataEnd
            case .chunkDataEnd:
                guard bufferedBytes >= 2 else { return nil }
                guard buffer[start] == 13, buffer[start + 1] == 10 else { throw .invalidChunk }
                start += 2
                scan = start
                state = .chunkSize
            case .trailers:
                // RFC 9112 §7.1.2: trailer fields are discarded, but they count against the header limits.
                let remaining = limits.headerBytes - sectionBytes
                guard let line = try nextLine(maxLength: max(0, remaining - 2), error: .headersTooLarge) else {
                    return nil
                }
                if line.isEmpty { return finish() }
                try countField(length: line.count)
                _ = try FieldLineParser.parse(buffer[line])
            }
        }
    }

    private mutating func countField(length: Int) throws(HTTPParserError) {
        sectionBytes += length + 2
        sectionFields += 1
        if sectionBytes > limits.headerBytes { throw .headersTooLarge }
        if sectionFields > limits.headerCount { throw .tooManyHeaders }
    }

    private mutating func finish() -> Event {
        state = .requestLine
        let complete = body
        body = []
        return .end(body: complete)
    }

    private mutating func takeBody(upTo wanted: Int) -> Int {
        let taken = min(wanted, bufferedBytes)
        body.append(contentsOf: buffer[start..<(start + taken)])
        start += taken
        scan = start
        return taken
    }

    /// Finds the next CRLF-terminated line and consumes it.
    /// - Returns: the line's range without CRLF, or `nil` if it is incomplete.
    /// - Throws: `error` when the line exceeds `maxLength`; `.invalidLineEnding` for a bare CR or LF.
    private mutating func nextLine(maxLength: Int, error: HTTPParserError) throws(HTTPParserError) -> Range<Int>? {
        var index = max(scan, start)
        while index < buffer.count, buffer[index] != 10 { index += 1 }
        guard index < buffer.count else {
            scan = buffer.count
            // A complete line may still need its CR; anything longer cannot fit.
            if bufferedBytes > maxLength + 1 { throw error }
            return nil
        }
        // Length before line ending, as in the branch above: the error must not depend on how the bytes arrived.
        if index - start > maxLength + 1 { throw error }
        guard index > start, buffer[index - 1] == 13 else { throw .invalidLineEnding }
        let line = start..<(index - 1)
        if line.count > maxLength { throw error }
        // RFC 9112 §2.2: a bare CR inside a line is invalid.
        if buffer[line].contains(13) { throw .invalidLineEnding }
        start = index + 1
        scan = start
        return line
    }
}
