import Core
import Foundation
import HTTP
import Testing
@testable import HTTPServer

@Suite("HTTP server over real sockets", .serialized)
struct ServerTests {
    @Test("keep-alive: two requests on one connection, with Date, X-Request-Id and nosniff")
    func keepAlive() async throws {
        try await withServer { server in
            let port = server.port
            try await blocking {
                let client = try TestClient(port: port)
                try client.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n")
                let first = try client.readResponse()
                try client.send("POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nX-Request-Id: my-id_1.2\r\n\r\nabc")
                let second = try client.readResponse()
                #expect(first.status == 200)
                #expect(first.text == "GET /a ")
                #expect(second.text == "POST /b abc")
                #expect(first.headers["Date"]?.hasSuffix(" GMT") == true)
                #expect(first.headers["X-Request-Id"]?.count == 16)
                #expect(second.headers["X-Request-Id"] == "my-id_1.2")
                #expect(first.headers["X-Content-Type-Options"] == "nosniff")
                #expect(first.headers["Server"] == nil)
                #expect(first.headers["Connection"] == nil)
            }
        }
    }

    @Test("an invalid client X-Request-Id is replaced")
    func invalidRequestID() async throws {
        try await withServer { server in
            let port = server.port
            try await blocking {
                let client = try TestClient(port: port)
                try client.send("GET / HTTP/1.1\r\nHost: x\r\nX-Request-Id: bad id!\r\n\r\n")
                let response = try client.readResponse()
                #expect(response.headers["X-Request-Id"] != "bad id!")
                #expect(response.headers["X-Request-Id"]?.count == 16)
            }
        }
    }

    @Test("pipelining: three requests in one write are answered in order")
    func pipelining() async throws {
        try await withServer { server in
            let port = server.port
            try await blocking {
                let client = try TestClient(port: port)
                try client.send(
                    "GET /1?ms=60 HTTP/1.1\r\nHost: x\r\n\r\nGET /2?ms=0 HTTP/1.1\r\nHost: x\r\n\r\n"
                        + "POST /3 HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nz"
                )
                let texts = try (0..<3).map { _ in try client.readResponse().text }
                #expect(texts == ["GET /1 ", "GET /2 ", "POST /3 z"])
            }
        }
    }

    @Test("chunked request body")
    func chunkedBody() async throws {
        try await withServer { server in
            let port = server.port
            try await blocking {
                let client = try TestClient(port: port)
                try client.send("POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n")
                try client.send("2\r\nde\r\n0\r\nTrailer: t\r\n\r\n")
                #expect(try client.readResponse().text == "POST /c abcde")
            }
        }
    }

    @Test("HTTP/1.0 closes unless keep-alive is asked for")
    func http10() async throws {
        try await withServer { server in
            let port = server.port
            try await blocking {
                let client = try TestClient(port: port)
                try client.send("GET /old HTTP/1.0\r\n\r\n")
                let response = try client.readResponse()
                #expect(response.text == "GET /old ")
                #expect(response.headers["Connection"] == "close")
                #expect(client.isClosedByServer())

                let kept = try TestClient(port: port)
                try kept.send("GET /k HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                #expect(try kept.readResponse().headers["Connection"] == "keep-alive")
                try kept.send("GET /k2 HTTP/1.0\r\n\r\n")
                #expect(try kept.readResponse().text == "GET /k2 ")
            }
        }
    }

    @Test("HEAD gets GET's headers and no body")
    func head() async throws {
        try await withServer { server in
            let port = server.port
            try await blocking {
                let client = try TestClient(port: port)
                try client.send("HEAD /h HTTP/1.1\r\nHost: x\r\n\r\nGET /h HTTP/1.1\r\nHost: x\r\n\r\n")
                let head = try client.readResponse(isHead: true)
                #expect(head.headers["Content-Length"] == "8")
                let get = try client.readResponse()
                #expect(get.text == "GET /h ")
            }
        }
    }

    @Test("Expect: 100-continue gets an interim response; too large gets 413 at once")
    func expectContinue() async throws {
        try await withServer({ $0.limits.bodyBytes = 100 }) { server in
            let port = server.port
            try await blocking {
                let client = try TestClient(port: port)
                try client.send("POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
                #expect(try client.readLine() == "HTTP/1.1 100 Continue")
                #expect(try client.readLine() == "")
                try client.send("body")
                #expect(try client.readResponse().text == "POST /e body")

                let big = try TestClient(port: port)
                try big.send("POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\nExpect: 100-continue\r\n\r\n")
                let response = try big.readResponse()
                #expect(response.status == 413)
                #expect(response.headers["Content-Type"] == "application/problem+json")
                #expect(response.headers["Connection"] == "close")
                #expect(response.headers["X-Request-Id"] != nil)
                #expect(response.text.contains("\"code\":\"payload_too_large\""))
            }
        }
    }

    @Test("a per-route body limit applies; 413 then close")
    func bodyLimit() async throws {
        try await withServer({ $0.bodyLimit = { _, path in path == "/small" ? 3 : nil } }) { server in
            let port = server.port
            try await blocking {
                let client = try TestClient(port: port)
                try client.send("POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nabcd")
                #expect(try client.readResponse().status == 413)
                #expect(client.isClosedByServer())
                let other = try TestClient(port: port)
                try other.send("POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nabcd")
                #expect(try other.readResponse().status == 200)
            }
        }
    }

    @Test("a parse error is answered with a problem and the connection closed")
    func parseError() async throws {
        try await withServer { server in
            let port = server.port
            try await blocking {
                let client = try TestClient(port: port)
                try client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n")
                let response = try client.readResponse()
                #expect(response.status == 400)
                #expect(response.text.contains("\"type\":\"/problems/invalid_request\""))
                #expect(client.isClosedByServer())
                let long = try TestClient(port: port)
                try long.send("GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\n")
                #expect(try long.readResponse().status == 414)
            }
        }
    }

    @Test("a stalled half-sent request does not delay another client; 200 idle connections do not block service")
    func stalledAndIdle() async throws {
        try await withServer { server in
            let port = server.port
            try await blocking {
                let stalled = try TestClient(port: port)
                try stalled.send("POST /s HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab")
                let idle = try (0..<200).map { _ in try TestClient(port: port) }
                let client = try TestClient(port: port)
                try client.send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try client.readResponse().text == "GET /fast ")
                try stalled.send("cdefghij")
                #expect(try stalled.readResponse().text == "POST /s abcdefghij")
                #expect(idle.count == 200)
            }
        }
    }

    @Test("header timeout gives 408 and closes")
    func headerTimeout() async throws {
        try await withServer({ $0.headerTimeout = 1 }) { server in
            let port = server.port
            try await blocking {
                let client = try TestClient(port: port)
                try client.send("GET / HTTP/1.1\r\nHost: x\r\n")
                let response = try client.readResponse()
                #expect(response.status == 408)
                #expect(response.text.contains("\"code\":\"request_timeout\""))
                #expect(client.isClosedByServer())
            }
        }
    }

    @Test("connections over maxConnections are closed at once")
    func maxConnections() async throws {
        try await withServer({ $0.maxConnections = 1 }) { server in
            let port = server.port
            try await blocking {
                let first = try TestClient(port: port)
                try first.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try first.readResponse().status == 200)
                let second = try TestClient(port: port)
                #expect(second.isClosedByServer())
            }
        }
    }

    @Test("graceful shutdown finishes an in-flight request, then refuses new connections")
    func gracefulShutdown() async throws {
        let entered = Signal()
        let release = Signal()
        let draining = Signal()
        let logger = Logger(minimumLevel: .info) { line in
            if line.contains("server draining") { draining.fire() }
        }
        var configuration = ServerConfiguration(port: 0)
        configuration.eventLoops = 2
        let server = HTTPServer(configuration: configuration, logger: logger) { _ in
            entered.fire()
            await release.wait()
            return HTTPResponse.text("done")
        }
        try server.start()
        let port = server.port
        async let result = blocking { () throws -> TestResponse in
            let client = try TestClient(port: port)
            try client.send("GET /inflight HTTP/1.1\r\nHost: x\r\n\r\n")
            return try client.readResponse()
        }
        await entered.wait()
        let shutdown = Task { await server.shutdown() }
        await draining.wait()
        release.fire()
        let response = try await result
        #expect(response.status == 200)
        #expect(response.text == "done")
        #expect(response.headers["Connection"] == "close")
        await shutdown.value
        #expect(throws: ClientError.self) { try TestClient(port: port) }
        #expect(server.openConnections == 0)
    }
}
