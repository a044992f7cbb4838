import Testing
@testable import HTTP

@Suite("Parser limits at and one byte over")
struct LimitTests {
    static let small = HTTPLimits(requestLineBytes: 64, headerBytes: 128, headerCount: 3, bodyBytes: 10)

    /// A request line of exactly `length` bytes (CRLF excluded).
    static func requestLine(_ length: Int) -> String {
        let fixed = "GET / HTTP/1.1".utf8.count
        return "GET /" + String(repeating: "a", count: length - fixed) + " HTTP/1.1"
    }

    @Test("request line", arguments: [64, 8192])
    func requestLineLimit(limit: Int) throws {
        let limits = HTTPLimits(requestLineBytes: limit)
        #expect(try parse(Self.requestLine(limit) + "\r\nHost: a\r\n\r\n", limits: limits).count == 1)
        #expect(throws: HTTPParserError.requestLineTooLong) {
            try parse(Self.requestLine(limit + 1) + "\r\nHost: a\r\n\r\n", limits: limits)
        }
        // Detected before the line ends, so a client cannot stream an endless line.
        #expect(throws: HTTPParserError.requestLineTooLong) {
            try parse(String(repeating: "a", count: limit + 2), limits: limits)
        }
    }

    /// `Host: a` (9 bytes with CRLF) plus one field padded so the section is `total` bytes.
    static func headerSection(total: Int) -> String {
        "Host: a\r\nX: " + String(repeating: "v", count: total - 9 - 5) + "\r\n"
    }

    @Test("header section bytes")
    func headerBytes() throws {
        #expect(try parse("GET / HTTP/1.1\r\n" + Self.headerSection(total: 128) + "\r\n", limits: Self.small).count == 1)
        #expect(throws: HTTPParserError.headersTooLarge) {
            try parse("GET / HTTP/1.1\r\n" + Self.headerSection(total: 129) + "\r\n", limits: Self.small)
        }
        #expect(throws: HTTPParserError.headersTooLarge) {
            try parse("GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "v", count: 200), limits: Self.small)
        }
    }

    @Test("default 64 KiB header section")
    func defaultHeaderBytes() throws {
        #expect(try parse("GET / HTTP/1.1\r\n" + Self.headerSection(total: 65536) + "\r\n").count == 1)
        #expect(throws: HTTPParserError.headersTooLarge) {
            try parse("GET / HTTP/1.1\r\n" + Self.headerSection(total: 65537) + "\r\n")
        }
    }

    @Test("header count")
    func headerCount() throws {
        #expect(try parse("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n", limits: Self.small).count == 1)
        #expect(throws: HTTPParserError.tooManyHeaders) {
            try parse("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits: Self.small)
        }
    }

    @Test("trailers count against the header limits")
    func trailers() throws {
        let base = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n"
        #expect(try parse(base + "\r\n", limits: Self.small).count == 1)
        #expect(throws: HTTPParserError.tooManyHeaders) {
            try parse(base + "T: 1\r\nU: 2\r\n\r\n", limits: Self.small)
        }
    }

    @Test("Content-Length body")
    func contentLengthBody() throws {
        #expect(try parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789", limits: Self.small).count == 1)
        #expect(throws: HTTPParserError.bodyTooLarge) {
            try parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n", limits: Self.small)
        }
        #expect(throws: HTTPParserError.bodyTooLarge) {
            try parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n")
        }
    }

    @Test("chunked body")
    func chunkedBody() throws {
        let head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        #expect(try parse(head + "4\r\n0123\r\n6\r\n456789\r\n0\r\n\r\n", limits: Self.small).first?.1.count == 10)
        #expect(throws: HTTPParserError.bodyTooLarge) {
            try parse(head + "4\r\n0123\r\n7\r\n", limits: Self.small)
        }
    }

    @Test("a per-request body limit set after the head applies")
    func perRouteLimit() throws {
        var parser = HTTPRequestParser(limits: Self.small)
        parser.feed(Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello".utf8))
        guard case .head = try parser.next() else { Issue.record("no head"); return }
        parser.setBodyLimit(4)
        #expect(throws: HTTPParserError.bodyTooLarge) { try parser.next() }
    }
}
