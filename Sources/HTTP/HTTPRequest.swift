/// A request head: everything before the body (RFC 9112 §2.1).
public struct HTTPRequestHead: Sendable, Equatable {
    public var method: HTTPMethod
    /// The raw request-target (RFC 9112 §3.2).
    public var target: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    /// The announced body length; `nil` for chunked or absent bodies.
    public var contentLength: Int?
    /// Whether the body uses the chunked transfer coding (RFC 9112 §7.1).
    public var isChunked: Bool
    /// Whether the client sent `Expect: 100-continue` (RFC 9110 §10.1.1).
    public var expectsContinue: Bool

    /// - Parameters: see the properties.
    public init(
        method: HTTPMethod, target: String, version: HTTPVersion = .http1_1, headers: HTTPHeaders = HTTPHeaders(),
        contentLength: Int? = nil, isChunked: Bool = false, expectsContinue: Bool = false
    ) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.contentLength = contentLength
        self.isChunked = isChunked
        self.expectsContinue = expectsContinue
    }

    /// Whether a body follows the head.
    public var hasBody: Bool { isChunked || (contentLength ?? 0) > 0 }

    /// Whether the connection may be reused after this exchange (RFC 9112 §9.3): HTTP/1.1 unless the client sent
    /// `Connection: close`; HTTP/1.0 only with `Connection: keep-alive`.
    public var keepAlive: Bool { Self.keepAlive(version: version, headers: headers) }

    /// `keepAlive` for a version and header list; scans the `Connection` options without allocating.
    package static func keepAlive(version: HTTPVersion, headers: HTTPHeaders) -> Bool {
        if headers.listContains("Connection", token: "close") { return false }
        if version == .http1_1 { return true }
        return headers.listContains("Connection", token: "keep-alive")
    }
}

/// A complete request as the server hands it to a handler.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// The raw request-target, query included.
    public var target: String
    /// The percent-decoded path without the query.
    public var path: String
    /// Percent-decoded query parameters, `+` read as a space; the first occurrence of a name wins.
    public var query: [String: String]
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The id echoed as `X-Request-Id` and used in logs.
    public var requestID: String
    /// The peer as `host:port`.
    public var remoteAddress: String

    /// Creates a request; `path` and `query` are derived from `target`.
    /// - Parameters:
    ///   - method: the method.
    ///   - target: an origin-form target such as `/v1/products?limit=5`.
    ///   - version: the protocol version.
    ///   - headers: the header fields.
    ///   - body: the decoded body bytes.
    ///   - requestID: the request id.
    ///   - remoteAddress: the peer address.
    public init(
        method: HTTPMethod, target: String, version: HTTPVersion = .http1_1, headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = [], requestID: String = "test", remoteAddress: String = "127.0.0.1:0"
    ) {
        self.method = method
        self.target = target
        let (path, query) = RequestTarget.split(target)
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        self.body = body
        self.requestID = requestID
        self.remoteAddress = remoteAddress
    }

    /// Creates a request whose target was already split (the server splits it once, at the head, to find the
    /// route's body limit).
    package init(
        head: HTTPRequestHead, path: String, query: [String: String], body: [UInt8], requestID: String,
        remoteAddress: String
    ) {
        method = head.method
        target = head.target
        self.path = path
        self.query = query
        version = head.version
        headers = head.headers
        self.body = body
        self.requestID = requestID
        self.remoteAddress = remoteAddress
    }

    /// Creates a request from a parsed head and its body.
    public init(head: HTTPRequestHead, body: [UInt8], requestID: String, remoteAddress: String) {
        self.init(
            method: head.method, target: head.target, version: head.version, headers: head.headers, body: body,
            requestID: requestID, remoteAddress: remoteAddress
        )
    }
}

extension StringProtocol {
    /// Drops leading and trailing SP and HTAB (OWS, RFC 9110 §5.6.3).
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
