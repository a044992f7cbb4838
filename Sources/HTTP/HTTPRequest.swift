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
    public var keepAlive: Bool {
        let options = headers.values("Connection").flatMap { $0.split(separator: ",") }
            .map { $0.trimmingSpaces().lowercased() }
        if options.contains("close") { return false }
        if version == .http1_1 { return true }
        return options.contains("keep-alive")
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

    /// Creates a request from a parsed head and its body.
    public init(head: HTTPRequestHead, body: [UInt8], requestID: String, remoteAddress: String) {
        self.init(
            method: head.method, target: head.target, version: head.version, headers: head.headers, body: body,
            requestID: requestID, remoteAddress: remoteAddress
        )
    }
}

/// Splits and decodes request-targets (RFC 9112 §3.2, RFC 3986 §2.1).
enum RequestTarget {
    static func split(_ target: String) -> (path: String, query: [String: String]) {
        var rest = Substring(target)
        // absolute-form (RFC 9112 §3.2.2): drop scheme and authority, keep the path.
        if let scheme = rest.range(of: "://") {
            let afterAuthority = rest[scheme.upperBound...]
            rest = afterAuthority.firstIndex(where: { $0 == "/" || $0 == "?" }).map { afterAuthority[$0...] } ?? "/"
            if rest.first == "?" { rest = "/" + rest }
        }
        let rawPath: Substring
        var query: [String: String] = [:]
        if let mark = rest.firstIndex(of: "?") {
            rawPath = rest[..<mark]
            let rawQuery = rest[rest.index(after: mark)...]
            for pair in rawQuery.split(separator: "&", omittingEmptySubsequences: true) {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = percentDecode(parts[0], plusAsSpace: true)
                let value = parts.count > 1 ? percentDecode(parts[1], plusAsSpace: true) : ""
                if query[name] == nil { query[name] = value }
            }
        } else {
            rawPath = rest
        }
        return (percentDecode(rawPath, plusAsSpace: false), query)
    }

    /// Decodes `%XX` escapes; an invalid escape is kept literally and invalid UTF-8 is repaired.
    static func percentDecode(_ text: Substring, plusAsSpace: Bool) -> String {
        let utf8 = Array(text.utf8)
        guard utf8.contains(where: { $0 == 0x25 || (plusAsSpace && $0 == 0x2B) }) else { return String(text) }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        var i = 0
        while i < utf8.count {
            let byte = utf8[i]
            if byte == 0x25, i + 2 < utf8.count, let hi = hexValue(utf8[i + 1]), let lo = hexValue(utf8[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
                continue
            }
            out.append(plusAsSpace && byte == 0x2B ? 0x20 : byte)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
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
