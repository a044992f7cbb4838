import Testing
@testable import HTTP

/// Parses `raw` fed in the given pieces; returns (head, body) pairs.
func parse(
    _ raw: String, limits: HTTPLimits = HTTPLimits(), pieces: [Int] = []
) throws(HTTPParserError) -> [(HTTPRequestHead, [UInt8])] {
    let bytes = Array(raw.utf8)
    var parser = HTTPRequestParser(limits: limits)
    var results: [(HTTPRequestHead, [UInt8])] = []
    var head: HTTPRequestHead?
    var start = 0
    for end in pieces + [bytes.count] where end >= start {
        parser.feed(bytes[start..<end])
        start = end
        while let event = try parser.next() {
            switch event {
            case .head(let parsed): head = parsed
            case .end(let body): results.append((head!, body))
            }
        }
    }
    return results
}

@Suite("Request parser")
struct ParserTests {
    @Test("simple GET")
    func simpleGet() throws {
        let requests = try parse("GET /v1/products?limit=5&q=a+b%21 HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n")
        let (head, body) = try #require(requests.first)
        #expect(head.method == .GET)
        #expect(head.target == "/v1/products?limit=5&q=a+b%21")
        #expect(head.version == .http1_1)
        #expect(head.headers["accept"] == "*/*")
        #expect(body.isEmpty)
        let request = HTTPRequest(head: head, body: body, requestID: "r", remoteAddress: "a")
        #expect(request.path == "/v1/products")
        #expect(request.query == ["limit": "5", "q": "a b!"])
    }

    @Test("query: first occurrence wins; path is percent-decoded")
    func queryDecoding() {
        let request = HTTPRequest(method: .GET, target: "/a%20b/c?x=1&x=2&y")
        #expect(request.path == "/a b/c")
        #expect(request.query == ["x": "1", "y": ""])
        #expect(HTTPRequest(method: .GET, target: "http://h:80/p?z=1").path == "/p")
    }

    static let samples = [
        "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world",
        "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nT: v\r\n\r\n",
        "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /2 HTTP/1.0\r\nContent-Length: 2\r\n\r\nokGET /3 HTTP/1.1\r\nHost: a\r\n\r\n",
    ]

    @Test("splitting at every byte offset gives the same result", arguments: samples)
    func splitEverywhere(raw: String) throws {
        let whole = try parse(raw)
        #expect(!whole.isEmpty)
        for offset in 0...raw.utf8.count {
            let split = try parse(raw, pieces: [offset])
            #expect(split.map(\.0) == whole.map(\.0))
            #expect(split.map(\.1) == whole.map(\.1))
        }
        let bytewise = try parse(raw, pieces: Array(0...raw.utf8.count))
        #expect(bytewise.map(\.1) == whole.map(\.1))
    }

    @Test("chunked body is decoded, extensions and trailers ignored")
    func chunked() throws {
        let (head, body) = try #require(try parse(Self.samples[2]).first)
        #expect(head.isChunked)
        #expect(String(decoding: body, as: UTF8.self) == "hello world")
    }

    @Test("pipelined requests come out in order")
    func pipelined() throws {
        let requests = try parse(Self.samples[3])
        #expect(requests.map(\.0.target) == ["/1", "/2", "/3"])
        #expect(requests[1].0.version == .http1_0)
        #expect(requests[1].1 == Array("ok".utf8))
    }

    @Test("identical Content-Length values are accepted")
    func repeatedContentLength() throws {
        let requests = try parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 2, 2\r\n\r\nok")
        #expect(requests.first?.1 == Array("ok".utf8))
    }

    @Test("leading empty lines are ignored (RFC 9112 §2.2)")
    func leadingCRLF() throws {
        #expect(try parse("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n").count == 1)
    }

    @Test("Expect: 100-continue is reported")
    func expectContinue() throws {
        let head = try #require(try parse("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx").first?.0)
        #expect(head.expectsContinue)
    }

    static let rejected: [(String, HTTPParserError)] = [
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", .contentLengthWithTransferEncoding),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", .contentLengthWithTransferEncoding),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", .invalidContentLength),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\n", .invalidContentLength),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n", .invalidContentLength),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -4\r\n\r\n", .invalidContentLength),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x5\r\n\r\n", .invalidContentLength),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n", .invalidContentLength),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n", .invalidTransferEncoding),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", .invalidTransferEncoding),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", .invalidTransferEncoding),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", .unsupportedTransferEncoding),
        ("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", .invalidTransferEncoding),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFF\r\n", .invalidChunkSize),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", .invalidChunkSize),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n", .invalidChunkSize),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n", .invalidChunk),
        ("GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n", .obsoleteLineFolding),
        ("GET / HTTP/1.1\r\n Host: a\r\n\r\n", .obsoleteLineFolding),
        ("GET / HTTP/1.1\r\nHost : a\r\n\r\n", .invalidHeaderName),
        ("GET / HTTP/1.1\r\nHo(st: a\r\n\r\n", .invalidHeaderName),
        ("GET / HTTP/1.1\r\n: a\r\n\r\n", .invalidHeaderName),
        ("GET / HTTP/1.1\r\nNoColon\r\n\r\n", .invalidHeaderName),
        ("GET / HTTP/1.1\r\nHost: a\r\nX: a\u{01}b\r\n\r\n", .invalidHeaderValue),
        ("GET / HTTP/1.1\nHost: a\n\n", .invalidLineEnding),
        ("GET / HTTP/1.1\r\nHost: a\nX: b\r\n\r\n", .invalidLineEnding),
        ("GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n", .invalidLineEnding),
        ("GET / HTTP/2.0\r\nHost: a\r\n\r\n", .unsupportedVersion),
        ("GET / HTTP/0.9\r\n\r\n", .unsupportedVersion),
        ("GET / HTTP/1.1x\r\nHost: a\r\n\r\n", .invalidVersion),
        ("GET / http/1.1\r\nHost: a\r\n\r\n", .invalidVersion),
        ("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", .invalidRequestLine),
        ("GET /\r\n\r\n", .invalidRequestLine),
        ("G@T / HTTP/1.1\r\nHost: a\r\n\r\n", .invalidMethod),
        ("GET foo HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget),
        ("GET * HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget),
        ("GET / HTTP/1.1\r\n\r\n", .invalidHost),
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", .invalidHost),
        ("\u{16}\u{03}\u{01}\u{02}\u{00}\u{01}\u{00}\u{01}\u{fc}\u{03}\u{03}\r\n\r\n", .invalidRequestLine),
    ]

    @Test("malformed and smuggling requests are rejected", arguments: rejected)
    func rejects(raw: String, expected: HTTPParserError) {
        #expect(throws: expected) { try parse(raw) }
        // Split in two the error is the same.
        #expect(throws: expected) { try parse(raw, pieces: [raw.utf8.count / 2]) }
    }

    @Test("garbage never crashes and errors are sticky")
    func garbage() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let bytes = (0..<Int.random(in: 1...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            var parser = HTTPRequestParser()
            parser.feed(bytes)
            var first: HTTPParserError?
            do { _ = try parser.next() } catch { first = error }
            if let first {
                #expect(throws: first) { try parser.next() }
            }
        }
    }

    @Test("errors map to statuses and problem codes")
    func statusMapping() {
        #expect(HTTPParserError.requestLineTooLong.status == 414)
        #expect(HTTPParserError.requestLineTooLong.code == "uri_too_long")
        #expect(HTTPParserError.headersTooLarge.status == 431)
        #expect(HTTPParserError.tooManyHeaders.code == "headers_too_large")
        #expect(HTTPParserError.bodyTooLarge.status == 413)
        #expect(HTTPParserError.bodyTooLarge.code == "payload_too_large")
        #expect(HTTPParserError.unsupportedVersion.status == 505)
        #expect(HTTPParserError.unsupportedTransferEncoding.status == 501)
        #expect(HTTPParserError.unsupportedTransferEncoding.code == "not_implemented")
        #expect(HTTPParserError.invalidContentLength.status == 400)
        #expect(HTTPParserError.obsoleteLineFolding.code == "invalid_request")
        let problem = HTTPParserError.bodyTooLarge.response
        #expect(problem.headers["Content-Type"] == "application/problem+json")
        #expect(String(decoding: problem.bodyBytes, as: UTF8.self)
            == #"{"type":"/problems/payload_too_large","title":"Content Too Large","status":413,"code":"payload_too_large","detail":"The request body is too large"}"#)
    }
}

