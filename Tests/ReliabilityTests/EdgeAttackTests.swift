import Core
import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The HTTP edge of the whole application under attack, over real sockets: smuggling, oversized and malformed
/// input, slowloris and a connection flood. Each test shows the server answers the attack as API.md §12 says and
/// keeps serving everybody else. Slow readers of event streams are covered where streams live:
/// `HTTPTests/StreamTests` ("a reader that never reads overflows and is closed while another stream keeps
/// receiving") and `LiveShoppingTests`.
@Suite("The HTTP edge under attack")
struct EdgeAttackTests {
    /// Sends `bytes` on a new connection and reads until the server closes it (bounded by the socket timeout).
    static func exchange(_ port: Int, _ bytes: [UInt8], timeoutSeconds: Int = 10) async throws -> [UInt8] {
        try await BlockingThread.run {
            let fd = try RawSocket.connect(port: port, timeoutSeconds: timeoutSeconds)
            defer { close(fd) }
            try RawSocket.sendAll(fd, bytes)
            return try RawSocket.readAll(fd)
        }
    }

    /// How many responses a byte stream holds (status lines at the start of the stream or after a blank line).
    static func responseCount(_ bytes: [UInt8]) -> Int {
        String(decoding: bytes, as: UTF8.self).components(separatedBy: "HTTP/1.1 ").count - 1
    }

    static func withServer(_ body: (TestServer, String) async throws -> Void) async throws {
        await ServerGate.shared.acquire()
        do {
            let server = try await TestServer()
            do {
                let (token, _) = try await server.signUp()
                try await body(server, token)
            } catch { Issue.record(error) }
            await server.stop()
        } catch { Issue.record(error) }
        await ServerGate.shared.release()
    }

    @Test("smuggling: CL+TE, conflicting lengths, obfuscated TE → one 400, closed; the smuggled top-up never runs")
    func smuggling() async throws {
        try await Self.withServer { server, token in
            let topUp = "{\"amount_cents\": 5000, \"method\": \"sandbox\"}"
            let smuggled = "POST /v1/wallet/top-ups HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\n"
                + "Content-Type: application/json\r\nContent-Length: \(topUp.utf8.count)\r\n\r\n" + topUp
            let prefix = "POST /bench/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            let attacks = [
                prefix + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled,
                prefix + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n" + smuggled,
                prefix + "Content-Length: 2\r\nContent-Length: \(smuggled.utf8.count + 2)\r\n\r\n{}" + smuggled,
                prefix + "Content-Length: 2, 3\r\n\r\n{}" + smuggled,
                prefix + "Content-Length: +2\r\n\r\n{}" + smuggled,
                prefix + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n" + smuggled,
                prefix + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n" + smuggled,
                prefix + "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n" + smuggled,
                prefix + "Transfer-Encoding:\tchunked\r\n X: folded\r\n\r\n0\r\n\r\n" + smuggled,
                prefix + "Content-Length : 2\r\n\r\n{}" + smuggled,
                prefix + "Transfer-Encoding: chunked\r\n\r\n2;\u{0}\r\n{}\r\n0\r\n\r\n" + smuggled,
            ]
            for attack in attacks {
                let received = try await Self.exchange(server.port, Array(attack.utf8))
                let text = String(decoding: received, as: UTF8.self)
                #expect(Self.responseCount(received) == 1, "one answer, then close: \(attack.prefix(120)) → \(text.prefix(200))")
                #expect(text.hasPrefix("HTTP/1.1 400") || text.hasPrefix("HTTP/1.1 501"), "\(attack.prefix(120)) → \(text.prefix(60))")
                #expect(try await server.send("GET", "/healthz").status == 200, "the next client is served")
            }
            let wallet = try await server.send("GET", "/v1/wallet", token: token).json
            #expect(wallet["balance_cents"] == 0, "no smuggled top-up ran: \(wallet)")
        }
    }

    @Test("oversized request line, header section, field count and body: 414, 431, 431, 413, then close")
    func oversized() async throws {
        try await Self.withServer { server, token in
            let cases: [(String, Set<Int>, String)] = [
                ("GET /v1/products?q=\(String(repeating: "a", count: 9000)) HTTP/1.1\r\nHost: x\r\n\r\n", [414], "uri_too_long"),
                ("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "b", count: 70_000))\r\n\r\n", [431], "headers_too_large"),
                ("GET /healthz HTTP/1.1\r\nHost: x\r\n" + (0..<101).map { "X-F\($0): v\r\n" }.joined() + "\r\n", [431], "headers_too_large"),
                ("POST /v1/wallet/top-ups HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 5000000000\r\n\r\n", [413], "payload_too_large"),
                ("POST /bench/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "FFFFFFFFFFFFFFFFFFFF\r\n", [400, 413], ""),
            ]
            for (request, status, code) in cases {
                let received = try await Self.exchange(server.port, Array(request.utf8))
                let answer = try TestResponse.parse(received)
                #expect(status.contains(answer.status), "\(request.prefix(60)) → \(answer.status)")
                if !code.isEmpty { #expect(answer.code == code) }
                #expect(try await server.send("GET", "/healthz").status == 200)
            }
        }
    }

    @Test("random garbage on 100 connections: every one is answered 4xx or closed, and the server keeps serving")
    func garbage() async throws {
        try await Self.withServer { server, _ in
            var generator = SystemRandomNumberGenerator()
            let inputs: [[UInt8]] = (0..<100).map { index in
                let length = Int.random(in: 1...2000, using: &generator)
                var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                // Half start like a request, so the garbage reaches the header and body parsers too.
                if index.isMultiple(of: 2) { bytes = Array("POST /bench/echo HTTP/1.1\r\nContent-Length: 9\r\n".utf8) + bytes }
                return bytes + Array("\r\n\r\n".utf8)
            }
            for input in inputs {
                let received = try await Self.exchange(server.port, input)
                let text = String(decoding: received.prefix(12), as: UTF8.self)
                #expect(received.isEmpty || text.hasPrefix("HTTP/1.1 4") || text.hasPrefix("HTTP/1.1 2") || text.hasPrefix("HTTP/1.1 501"), "\(text)")
            }
            #expect(try await server.send("GET", "/healthz").status == 200)
        }
    }

    @Test("slowloris: 200 connections trickling a byte a second do not slow a normal client")
    func slowloris() async throws {
        try await Self.withServer { server, token in
            let port = server.port
            let sockets = try await BlockingThread.run {
                try (0..<200).map { _ in
                    let fd = try RawSocket.connect(port: port, timeoutSeconds: 5)
                    try RawSocket.sendAll(fd, Array("GET /v1/me HTTP/1.1\r\nHost: x\r\n".utf8))
                    return fd
                }
            }
            // The trickle: one header byte per connection each second, for three seconds, on a thread of its own.
            let trickle = Task {
                try await BlockingThread.run {
                    for _ in 0..<3 {
                        for fd in sockets { _ = try? RawSocket.sendAll(fd, Array("X".utf8)) }
                        sleep(1)
                    }
                }
            }
            var slowest = 0.0
            for _ in 0..<15 {
                let started = Date()
                let answer = try await server.send("GET", "/v1/me", token: token)
                slowest = max(slowest, Date().timeIntervalSince(started))
                #expect(answer.status == 200)
                try await Task.sleep(for: .milliseconds(100))
            }
            _ = try await trickle.value
            sockets.forEach { close($0) }
            #expect(slowest < 2, "the slowest normal request took \(slowest) s while 200 connections trickled")
        }
    }

    @Test("a flood of 1,000 connections at once: the server keeps serving, also on the flood's own connections")
    func connectionFlood() async throws {
        try await Self.withServer { server, _ in
            let port = server.port
            let sockets = try await BlockingThread.run { try (0..<1000).map { _ in try RawSocket.connect(port: port, timeoutSeconds: 10) } }
            let started = Date()
            #expect(try await server.send("GET", "/healthz").status == 200)
            let elapsed = Date().timeIntervalSince(started)
            // A few of the flood's connections ask for something; each gets its answer.
            let answers = try await BlockingThread.run {
                try sockets.prefix(20).map { fd -> Int in
                    try RawSocket.sendAll(fd, Array("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
                    return try TestResponse.parse(try RawSocket.readAll(fd)).status
                }
            }
            sockets.forEach { close($0) }
            #expect(answers.allSatisfy { $0 == 200 }, "\(answers)")
            #expect(elapsed < 2, "a normal request during the flood took \(elapsed) s")
            #expect(try await server.send("GET", "/healthz").status == 200, "still up after the flood closed")
        }
    }
}
