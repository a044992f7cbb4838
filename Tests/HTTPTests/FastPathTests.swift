import Testing
@testable import HTTP
@testable import HTTPServer

/// The byte-level fast paths (request target, header lists, response head, router) agree with the rules they
/// replace.
@Suite("Per-request fast paths")
struct FastPathTests {
    @Test("origin-form targets are split without treating :// in the query as a scheme")
    func originForm() {
        let request = HTTPRequest(method: .GET, target: "/go?to=http://x/y&&n=%41+b&n=2&flag")
        #expect(request.path == "/go")
        #expect(request.query == ["to": "http://x/y", "n": "A b", "flag": ""])
        #expect(HTTPRequest(method: .GET, target: "/a%2Fb+c%zz").path == "/a/b+c%zz")
        #expect(HTTPRequest(method: .GET, target: "/caf%C3%A9?").path == "/café")
        // U+0000 is never decoded (PostgreSQL's text cannot hold it): `%00` stays as it was sent.
        #expect(HTTPRequest(method: .GET, target: "/a%00b?q=x%00y").path == "/a%00b")
        #expect(HTTPRequest(method: .GET, target: "/a%00b?q=x%00y").query == ["q": "x%00y"])
    }

    @Test("absolute-form keeps only path and query")
    func absoluteForm() {
        #expect(HTTPRequest(method: .GET, target: "http://h:80?q=1").path == "/")
        #expect(HTTPRequest(method: .GET, target: "http://h:80?q=1").query == ["q": "1"])
        #expect(HTTPRequest(method: .GET, target: "HTTPS://h").path == "/")
        #expect(HTTPRequest(method: .GET, target: "http://h/a/b?c").path == "/a/b")
        #expect(HTTPRequest(method: .OPTIONS, target: "*").path == "*")
    }

    @Test("request line: known methods are shared, others kept as sent")
    func requestLine() throws {
        let line = try RequestLineParser.parse(Array("PATCH /x HTTP/1.0".utf8)[...])
        #expect(line.method == .PATCH && line.target == "/x" && line.version == .http1_0)
        #expect(try RequestLineParser.parse(Array("PURGE /x HTTP/1.1".utf8)[...]).method.rawValue == "PURGE")
        #expect(try RequestLineParser.parse(Array("GET hTTp://h/ HTTP/1.1".utf8)[...]).target == "hTTp://h/")
        #expect(throws: HTTPParserError.invalidTarget) {
            try RequestLineParser.parse(Array("GET ftp://h/ HTTP/1.1".utf8)[...])
        }
        #expect(throws: HTTPParserError.invalidRequestLine) {
            try RequestLineParser.parse(Array("GET / HTTP/1.1 ".utf8)[...])
        }
    }

    @Test("Connection and Expect lists: case, whitespace and empty elements")
    func lists() {
        let close: HTTPHeaders = ["connection": " Keep-Alive ,, CLOSE\t"]
        #expect(!HTTPRequestHead(method: .GET, target: "/", headers: close).keepAlive)
        let keep: HTTPHeaders = ["Connection": "upgrade, keep-alive"]
        #expect(HTTPRequestHead(method: .GET, target: "/", version: .http1_0, headers: keep).keepAlive)
        #expect(!HTTPRequestHead(method: .GET, target: "/", version: .http1_0).keepAlive)
        #expect(!HTTPHeaders.list("closed, xclose", contains: "close"))
        #expect(HTTPHeaders.list("a,100-Continue", contains: "100-continue"))
    }

    @Test("response head: status line, handler fields, server fields replaced, no CR/LF injection")
    func responseHead() {
        var response = HTTPResponse.text("hi")
        response.headers.add("content-length", "99")
        response.headers.add("X-Evil", "a\r\nSet-Cookie: b")
        response.headers.add("Cache-Control", "no-store")
        let context = ResponseWriter.Context(
            requestID: "r1", isHead: false, version: .http1_1, keepAlive: true, date: "Sun, 06 Nov 1994 08:49:37 GMT"
        )
        let text = String(decoding: ResponseWriter.serialize(response, body: response.bodyBytes, context: context), as: UTF8.self)
        #expect(text == "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nCache-Control: no-store\r\n"
            + "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 2\r\nX-Request-Id: r1\r\n"
            + "X-Content-Type-Options: nosniff\r\n\r\nhi")
        let odd = ResponseWriter.head(HTTPResponse(status: 599), framing: .contentLength(1234567), context: context)
        #expect(String(decoding: odd, as: UTF8.self).hasPrefix("HTTP/1.1 599 \r\n"))
        #expect(String(decoding: odd, as: UTF8.self).contains("\r\nContent-Length: 1234567\r\n"))
    }

    @Test("generated request ids are 16 hex digits and differ")
    func requestIDs() {
        var ids = RequestID.Generator()
        let made = (0..<100).map { _ in ids.make(from: nil) }
        #expect(Set(made).count == 100)
        #expect(made.allSatisfy { $0.utf8.count == 16 && RequestID.isValid($0) })
        #expect(RequestID.hex(0xAB) == "00000000000000ab")
    }

    @Test("router: empty segments, trailing slashes and several parameters")
    func router() {
        var router = Router<Int>()
        router.add(.GET, "/a/{x}/c", 1)
        router.add(.GET, "/a/b/d/{y}", 2)
        router.add(.POST, "/a/{x}", 3)
        guard case .found(1, _, let parameters) = router.match(.GET, "/a/b/c") else {
            Issue.record("expected backtracking to /a/{x}/c")
            return
        }
        #expect(parameters == ["x": "b"])
        guard case .found(2, _, let other) = router.match(.GET, "/a/b/d/zz") else {
            Issue.record("expected /a/b/d/{y}")
            return
        }
        #expect(other == ["y": "zz"])
        guard case .notFound = router.match(.GET, "/a//c") else {
            Issue.record("an empty segment is not a parameter")
            return
        }
        guard case .methodNotAllowed(let allowed) = router.match(.GET, "/a/q") else {
            Issue.record("expected 405")
            return
        }
        #expect(allowed == [.POST])
    }
}
