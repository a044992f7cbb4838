/// Size limits the parser enforces; each maps to a status (see `HTTPParserError`).
public struct HTTPLimits: Sendable, Equatable {
    /// Longest request line, CRLF excluded (RFC 9112 §3 recommends supporting at least 8000 octets) → 414.
    public var requestLineBytes: Int
    /// Largest header section: every field line with its CRLF, the empty line excluded; trailers of a chunked
    /// body count against the same budget → 431.
    public var headerBytes: Int
    /// Most header fields (trailer fields included) → 431.
    public var headerCount: Int
    /// Largest decoded body → 413; the server may override it per route.
    public var bodyBytes: Int

    /// - Parameters: see the properties; the defaults are 8 KiB, 64 KiB, 100 fields and 1 MiB.
    public init(requestLineBytes: Int = 8192, headerBytes: Int = 65536, headerCount: Int = 100, bodyBytes: Int = 1 << 20) {
        self.requestLineBytes = requestLineBytes
        self.headerBytes = headerBytes
        self.headerCount = headerCount
        self.bodyBytes = bodyBytes
    }
}
