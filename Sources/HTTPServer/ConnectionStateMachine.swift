import HTTP

/// The request/response lifecycle of one connection, with no I/O: inputs come in, `Action`s come out
/// (the NIO/Hummingbird pattern), so every rule can be tested without sockets or clocks.
///
/// Requests are parsed ahead up to `maxPipelined`, but handled one at a time so responses leave in request order
/// (RFC 9112 §9.3.2); the next one starts only when the previous response has been written out.
struct ConnectionStateMachine {
    struct Settings {
        var limits: HTTPLimits
        var bodyLimit: (@Sendable (HTTPMethod, String) -> Int?)?
        var maxPipelined: Int
        var headerTimeout: UInt64
        var idleTimeout: UInt64
    }

    enum Action {
        case write([UInt8])
        case startHandler(HTTPRequest)
        /// Write `head`, then hand a writer to `body`; the connection then only streams.
        case startStream(head: [UInt8], chunked: Bool, body: @Sendable (any EventStreamWriter) -> Void)
        /// Close once everything written so far is flushed.
        case close
        /// The server generated an error response; for the debug log.
        case report(status: Int, code: String, requestID: String)
    }

    enum Item {
        case request(HTTPRequest)
        case failure(HTTPParserError, requestID: String)
        case timeout(requestID: String)
    }

    /// The request whose response is awaited or being written.
    struct Current {
        var requestID: String
        var isHead: Bool
        var version: HTTPVersion
        var keepAlive: Bool
    }

    enum Deadline: Equatable {
        case none
        case read(UInt64)
        case idle(UInt64)
    }

    let settings: Settings
    let remoteAddress: String
    private(set) var parser: HTTPRequestParser
    private var queue: [Item] = []
    private(set) var current: Current?
    /// The current response has been serialized; the exchange ends when it is flushed.
    private var responseWritten = false
    private var head: HTTPRequestHead?
    /// The current head's target, split once when the head arrives (for the body limit) and reused.
    private var split: (path: String, query: [String: String]) = ("", [:])
    /// Request ids for requests that bring none; seeded once per connection.
    private var ids: RequestID.Generator
    private var continueOwed = false
    /// No more input will be parsed (a parse error, the peer's EOF, or a close decision).
    private var inputEnded = false
    private(set) var isClosing = false
    private(set) var isStreaming = false
    private var isDraining = false
    private(set) var deadline: Deadline

    init(settings: Settings, remoteAddress: String, now: UInt64) {
        self.settings = settings
        self.remoteAddress = remoteAddress
        parser = HTTPRequestParser(limits: settings.limits)
        ids = RequestID.Generator()
        // A new connection must send its head within the header timeout, so silent sockets cannot hold a slot.
        deadline = .read(now + settings.headerTimeout)
    }

    /// Whether the connection wants more input: not while a response is unsent (backpressure) beyond the parse-ahead.
    var wantsRead: Bool {
        if isStreaming { return true }  // only to notice the peer leaving
        return !inputEnded && !isClosing && queue.count < settings.maxPipelined
            && parser.bufferedBytes < settings.limits.headerBytes + settings.limits.requestLineBytes
    }

    // MARK: - Inputs

    mutating func received(_ bytes: ArraySlice<UInt8>, now: UInt64, date: String) -> [Action] {
        guard !isStreaming, !inputEnded else { return [] }
        let wasIdle = parser.isIdle
        parser.feed(bytes)
        if parser.isReadingBody || (wasIdle && current == nil && queue.isEmpty) {
            // A new head starts its timer; each body read extends it.
            deadline = .read(now + settings.headerTimeout)
        }
        return pump(now: now, date: date)
    }

    /// The peer closed its sending side: finish what was received, then close (RFC 9112 §9.6).
    mutating func peerClosed(now: UInt64, date: String) -> [Action] {
        inputEnded = true
        if isStreaming { return [.close] }
        return pump(now: now, date: date)
    }

    mutating func responseReady(_ response: HTTPResponse, now: UInt64, date: String) -> [Action] {
        guard let current, !isStreaming else { return [] }
        let moreQueued = !queue.isEmpty || parser.isReadingBody
        let keepAlive = current.keepAlive && !(isDraining && !moreQueued) && !(inputEnded && !moreQueued)
        let context = ResponseWriter.Context(
            requestID: current.requestID, isHead: current.isHead, version: current.version, keepAlive: keepAlive,
            date: date
        )
        switch response.body {
        case .bytes(let body):
            let bytes = ResponseWriter.serialize(response, body: body, context: context)
            responseWritten = true
            if keepAlive { return [.write(bytes)] }
            isClosing = true
            return [.write(bytes), .close]
        case .stream(let body):
            // A stream ends only with the connection, so it is never reused (and HTTP/1.0 reads until close).
            isStreaming = true
            isClosing = true
            queue.removeAll()
            deadline = .none
            var closing = context
            closing.keepAlive = false
            let chunked = current.version == .http1_1
            let head = ResponseWriter.head(response, framing: chunked ? .chunked : .untilClose, context: closing)
            if current.isHead { return [.write(head), .close] }
            return [.startStream(head: head, chunked: chunked, body: body)]
        }
    }

    /// Everything written so far has reached the socket: the current exchange is complete.
    mutating func outboundDrained(now: UInt64, date: String) -> [Action] {
        guard current != nil, responseWritten, !isStreaming, !isClosing else { return [] }
        current = nil
        responseWritten = false
        deadline = parser.isIdle ? .idle(now + settings.idleTimeout) : .read(now + settings.headerTimeout)
        return pump(now: now, date: date)
    }

    mutating func tick(now: UInt64, date: String) -> [Action] {
        switch deadline {
        case .none:
            return []
        case .idle(let at):
            guard now >= at else { return [] }
            isClosing = true
            return [.close]  // an idle keep-alive connection is closed silently (RFC 9112 §9.5).
        case .read(let at):
            guard now >= at, current == nil, queue.isEmpty else { return [] }
            inputEnded = true
            deadline = .none
            queue.append(.timeout(requestID: ids.make(from: head?.headers)))
            return pump(now: now, date: date)
        }
    }

    /// Shutdown began: serve requests whose head arrived, close everything else.
    mutating func beginDraining(now: UInt64, date: String) -> [Action] {
        isDraining = true
        if isStreaming { return [.close] }
        if current == nil, queue.isEmpty, !parser.isReadingBody {
            isClosing = true
            return [.close]
        }
        return pump(now: now, date: date)
    }

    // MARK: - Internals

    private mutating func pump(now: UInt64, date: String) -> [Action] {
        var actions: [Action] = []
        parseAhead(date: date)
        guard current == nil, !isClosing else { return actions }
        if !queue.isEmpty {
            switch queue.removeFirst() {
            case .request(let request):
                current = Current(
                    requestID: request.requestID, isHead: request.method == .HEAD, version: request.version,
                    keepAlive: HTTPRequestHead.keepAlive(version: request.version, headers: request.headers)
                )
                deadline = .none
                actions.append(.startHandler(request))
            case .failure(let error, let requestID):
                actions += fail(error.response, code: error.code, requestID: requestID, date: date)
            case .timeout(let requestID):
                let response = HTTPResponse.problem(
                    status: 408, code: "request_timeout", title: HTTPStatus.reason(408),
                    detail: "The request was not received in time"
                )
                actions += fail(response, code: "request_timeout", requestID: requestID, date: date)
            }
            return actions
        }
        if continueOwed {
            // RFC 9110 §10.1.1: the client waits for this before sending the body; sent only once every earlier
            // response is out, so it cannot interleave with them.
            continueOwed = false
            actions.append(.write(ResponseWriter.continueResponse))
        }
        if inputEnded || (isDraining && !parser.isReadingBody) {
            isClosing = true
            actions.append(.close)
        }
        return actions
    }

    private mutating func fail(_ response: HTTPResponse, code: String, requestID: String, date: String) -> [Action] {
        isClosing = true
        inputEnded = true
        queue.removeAll()
        let context = ResponseWriter.Context(
            requestID: requestID, isHead: false, version: .http1_1, keepAlive: false, date: date
        )
        let head = ResponseWriter.serialize(response, body: response.bodyBytes, context: context)
        return [.report(status: response.status, code: code, requestID: requestID), .write(head), .close]
    }

    private mutating func parseAhead(date: String) {
        while !inputEnded, queue.count < settings.maxPipelined {
            if isDraining, !parser.isReadingBody { return }
            let event: HTTPRequestParser.Event?
            do {
                event = try parser.next()
            } catch {
                queue.append(.failure(error, requestID: ids.make(from: head?.headers)))
                inputEnded = true
                return
            }
            switch event {
            case nil:
                return
            case .head(let parsed)?:
                head = parsed
                split = RequestTarget.split(parsed.target)
                let limit = settings.bodyLimit?(parsed.method, split.path) ?? settings.limits.bodyBytes
                parser.setBodyLimit(limit)
                let fits = (parsed.contentLength ?? 0) <= limit
                if parsed.expectsContinue, parsed.hasBody, fits { continueOwed = true }
            case .end(let body)?:
                guard let parsed = head else { return }
                head = nil
                continueOwed = false
                let request = HTTPRequest(
                    head: parsed, path: split.path, query: split.query, body: body,
                    requestID: ids.make(from: parsed.headers), remoteAddress: remoteAddress
                )
                split = ("", [:])
                queue.append(.request(request))
            }
        }
    }
}

@available(*, unavailable) extension ConnectionStateMachine: Sendable {}

