import Core
import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// One server-sent event (or comment) as a client sees it.
struct SSEEvent: Sendable, Equatable {
    var id: Int64?
    var name: String?
    var data: String
    /// A `:` comment line such as the heartbeat.
    var comment: String?

    var json: JSON { (try? JSONParser.parse(Array(data.utf8))) ?? .null }
}

/// A raw-socket SSE client: it reads the chunked body incrementally with a receive timeout, so a test can look at
/// each event as it arrives and never hangs.
///
/// Reads block a thread of the client's own serial queue, never Swift's cooperative pool nor the global GCD queue:
/// on Linux the global queue runs about one thread per core, and a reader waiting there for events would starve the
/// very requests that produce them.
final class SSEClient: @unchecked Sendable {
    // Invariant: the buffers are touched only by one read at a time (tests await each read).
    let fd: Int32
    let status: Int
    let headers: [(String, String)]
    private var raw: [UInt8] = []
    private var body: [UInt8] = []
    private var pending: [SSEEvent] = []
    private(set) var isClosed = false
    private let queue = DispatchQueue(label: "sse-client")

    private init(fd: Int32, status: Int, headers: [(String, String)], rest: [UInt8]) {
        self.fd = fd
        self.status = status
        self.headers = headers
        raw = rest
    }

    deinit { Glibc.close(fd) }

    /// Drops the connection the way a client that goes away does.
    func disconnect() { shutdown(fd, Int32(SHUT_RDWR)) }

    func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }

    /// Connects and reads the response head.
    /// - Parameters:
    ///   - receiveBuffer: a small `SO_RCVBUF` makes a stalled reader fill up fast.
    static func connect(
        port: Int, path: String, token: String? = nil, lastEventID: String? = nil, receiveBuffer: Int32? = nil
    ) async throws -> SSEClient {
        try await onThread(DispatchQueue(label: "sse-connect")) {
            let fd = try RawSocket.connect(port: port, timeoutSeconds: 1, receiveBuffer: receiveBuffer)
            var head = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\n"
            if let token { head += "Authorization: Bearer \(token)\r\n" }
            if let lastEventID { head += "Last-Event-ID: \(lastEventID)\r\n" }
            head += "\r\n"
            try RawSocket.sendAll(fd, Array(head.utf8))
            var received: [UInt8] = []
            let deadline = Date().addingTimeInterval(10)
            while true {
                if let end = find([13, 10, 13, 10], in: received) {
                    let text = String(decoding: received[0..<end], as: UTF8.self)
                    var lines = text.components(separatedBy: "\r\n")
                    let statusLine = lines.removeFirst().split(separator: " ")
                    let status = statusLine.count > 1 ? Int(statusLine[1]) ?? 0 : 0
                    let headers = lines.compactMap { line -> (String, String)? in
                        guard let colon = line.firstIndex(of: ":") else { return nil }
                        return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
                    }
                    return SSEClient(fd: fd, status: status, headers: headers, rest: Array(received[(end + 4)...]))
                }
                guard Date() < deadline else {
                    Glibc.close(fd)
                    throw TestClientError("no response head")
                }
                let chunk = try receive(fd)
                guard let chunk else { continue }
                if chunk.isEmpty {
                    Glibc.close(fd)
                    throw TestClientError("closed before the head")
                }
                received += chunk
            }
        }
    }

    /// The next event or comment, or `nil` when the server closed the stream.
    /// - Throws: when nothing arrives within `timeout` seconds.
    func next(timeout: Double = 10, comments: Bool = false) async throws -> SSEEvent? {
        try await SSEClient.onThread(queue) { [self] in
            let deadline = Date().addingTimeInterval(timeout)
            while true {
                parse()
                while !pending.isEmpty {
                    let event = pending.removeFirst()
                    if event.comment == nil || comments { return event }
                }
                if isClosed { return nil }
                guard Date() < deadline else { throw TestClientError("no event within \(timeout) s") }
                if let chunk = try SSEClient.receive(fd) {
                    if chunk.isEmpty { isClosed = true } else { raw += chunk }
                }
            }
        }
    }

    /// The next event that is not a comment and not `likes`/`viewers`, which come at any time.
    func nextNumbered(timeout: Double = 10) async throws -> SSEEvent? {
        while let event = try await next(timeout: timeout) {
            if event.id != nil || !["likes", "viewers"].contains(event.name ?? "") { return event }
        }
        return nil
    }

    /// Reads numbered events until `count` were read.
    func numbered(_ count: Int, timeout: Double = 15) async throws -> [SSEEvent] {
        var out: [SSEEvent] = []
        while out.count < count {
            guard let event = try await nextNumbered(timeout: timeout) else {
                throw TestClientError("stream closed after \(out.count) of \(count) events")
            }
            out.append(event)
        }
        return out
    }

    /// Reads until an event named `name` (skipping others), bounded by the read timeout.
    func waitFor(_ name: String, timeout: Double = 10) async throws -> SSEEvent {
        while let event = try await next(timeout: timeout) {
            if event.name == name { return event }
        }
        throw TestClientError("stream closed before \(name)")
    }

    /// Takes complete chunks out of `raw`, and complete events out of the body.
    private func parse() {
        while let lineEnd = SSEClient.find([13, 10], in: raw) {
            let sizeText = String(decoding: raw[0..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText, radix: 16) else { break }
            if size == 0 {
                isClosed = true
                raw = []
                break
            }
            guard raw.count >= lineEnd + 2 + size + 2 else { break }
            body += raw[(lineEnd + 2)..<(lineEnd + 2 + size)]
            raw.removeFirst(lineEnd + 2 + size + 2)
        }
        while let end = SSEClient.find([10, 10], in: body) {
            let block = String(decoding: body[0..<end], as: UTF8.self)
            body.removeFirst(end + 2)
            var event = SSEEvent(id: nil, name: nil, data: "", comment: nil)
            var dataLines: [String] = []
            for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix(":") {
                    event.comment = String(line.dropFirst()).trimmingCharacters(in: .whitespaces)
                } else if line.hasPrefix("id: ") {
                    event.id = Int64(line.dropFirst(4))
                } else if line.hasPrefix("event: ") {
                    event.name = String(line.dropFirst(7))
                } else if line.hasPrefix("data: ") {
                    dataLines.append(String(line.dropFirst(6)))
                }
            }
            event.data = dataLines.joined(separator: "\n")
            pending.append(event)
        }
    }

    /// One `recv`: bytes, `[]` at end of stream, `nil` on the receive timeout.
    private static func receive(_ fd: Int32) throws -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 { return Array(buffer[0..<n]) }
        if n == 0 { return [] }
        if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return nil }
        if errno == ECONNRESET { return [] }
        throw TestClientError("recv failed: errno \(errno)")
    }

    private static func find(_ needle: [UInt8], in data: [UInt8]) -> Int? {
        guard data.count >= needle.count else { return nil }
        for i in 0...(data.count - needle.count) where data[i] == needle[0] {
            if data[i..<(i + needle.count)].elementsEqual(needle) { return i }
        }
        return nil
    }

    private static func onThread<T: Sendable>(
        _ queue: DispatchQueue, _ work: @escaping @Sendable () throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }
}
