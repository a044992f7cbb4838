@testable import HTTP
@testable import HTTPServer
import Testing

/// The connection's lifecycle as a pure state machine (STYLE.md §2.8): bytes in, actions out, no socket, no clock.
@Suite("Connection state machine")
struct ConnectionStateMachineTests {
    static let settings = ConnectionStateMachine.Settings(
        limits: HTTPLimits(), bodyLimit: nil, maxPipelined: 4, headerTimeout: 10_000, idleTimeout: 60_000
    )

    static func requests(_ actions: [ConnectionStateMachine.Action]) -> [HTTPRequest] {
        actions.compactMap { if case let .startHandler(request) = $0 { request } else { nil } }
    }

    static func writes(_ actions: [ConnectionStateMachine.Action]) -> [String] {
        actions.compactMap { if case let .write(bytes) = $0 { String(decoding: bytes, as: UTF8.self) } else { nil } }
    }

    static func closes(_ actions: [ConnectionStateMachine.Action]) -> Bool {
        actions.contains { if case .close = $0 { true } else { false } }
    }

    @Test("pipelined requests are handled one at a time, answered in order, each after the previous was written")
    func pipelining() {
        var machine = ConnectionStateMachine(settings: Self.settings, remoteAddress: "t", now: 0)
        let two = "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n"
        let first = machine.received(Array(two.utf8)[...], now: 1, date: "d")
        #expect(Self.requests(first).map(\.path) == ["/a"], "only the first starts")
        let answer = machine.responseReady(HTTPResponse(status: 200, body: Array("A".utf8)), now: 2, date: "d")
        #expect(Self.writes(answer).first?.hasPrefix("HTTP/1.1 200") == true)
        #expect(!Self.closes(answer))
        let next = machine.outboundDrained(now: 3, date: "d")
        #expect(Self.requests(next).map(\.path) == ["/b"], "the second starts once the first is flushed")
    }

    @Test("a malformed head is answered 400 and closed; Connection: close closes after the answer")
    func errorsAndClose() {
        var bad = ConnectionStateMachine(settings: Self.settings, remoteAddress: "t", now: 0)
        let actions = bad.received(Array("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n".utf8)[...], now: 1, date: "d")
        #expect(Self.writes(actions).first?.hasPrefix("HTTP/1.1 400") == true)
        #expect(Self.closes(actions))

        var closing = ConnectionStateMachine(settings: Self.settings, remoteAddress: "t", now: 0)
        _ = closing.received(Array("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8)[...], now: 1, date: "d")
        let answer = closing.responseReady(HTTPResponse(status: 204, body: []), now: 2, date: "d")
        #expect(Self.closes(answer))
        #expect(Self.writes(answer).first?.contains("Connection: close") == true)
    }

    @Test("a silent connection times out at the header deadline; an idle keep-alive one at the idle deadline")
    func timeouts() {
        var silent = ConnectionStateMachine(settings: Self.settings, remoteAddress: "t", now: 0)
        #expect(silent.tick(now: 9_999, date: "d").isEmpty)
        let expired = silent.tick(now: 10_001, date: "d")
        #expect(Self.closes(expired))

        var idle = ConnectionStateMachine(settings: Self.settings, remoteAddress: "t", now: 0)
        _ = idle.received(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)[...], now: 1, date: "d")
        _ = idle.responseReady(HTTPResponse(status: 204, body: []), now: 2, date: "d")
        _ = idle.outboundDrained(now: 3, date: "d")
        #expect(!Self.closes(idle.tick(now: 30_000, date: "d")), "idle but within the idle timeout")
        #expect(Self.closes(idle.tick(now: 60_004, date: "d")))
    }
}
