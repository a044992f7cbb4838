import Core
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One HTTP answer as the tests see it.
public struct TestResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// The body parsed as JSON; `.null` when it is not JSON.
    public var json: JSON { (try? JSONParser.parse(body)) ?? .null }

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The problem `code`, for error answers.
    public var code: String? { json["code"]?.stringValue }
}

/// A deliberately simple HTTP/1.1 client over raw blocking sockets: one connection per request, exact bytes.
///
/// Each request blocks a thread of its own: not one of Swift's cooperative threads (two on this machine), which the
/// in-process server's handlers need, and not one of Dispatch's, which its database queues need — 40 parallel
/// requests on Dispatch threads once starved the database and stalled for the full socket timeout. Every socket has a receive timeout, so no test can hang.
public struct TestHTTPClient: Sendable {
    public let port: Int
    public var timeoutSeconds: Int = 30

    public init(port: Int) { self.port = port }

    /// Sends a request with an optional JSON body and bearer token.
    public func send(
        _ method: String, _ path: String, json: JSON? = nil, token: String? = nil, headers: [(String, String)] = []
    ) async throws -> TestResponse {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        var body: [UInt8] = []
        if let json {
            body = json.serialized()
            if !headers.contains(where: { $0.0.lowercased() == "content-type" }) {
                head += "Content-Type: application/json\r\n"
            }
        }
        if !body.isEmpty || ["POST", "PUT", "PATCH"].contains(method) { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        return try await raw(Array(head.utf8) + body)
    }

    /// Sends raw bytes and reads until the server closes the connection.
    public func raw(_ bytes: [UInt8]) async throws -> TestResponse {
        let port = self.port
        let timeout = timeoutSeconds
        return try await BlockingThread.run {
            let received = try RawSocket.exchange(port: port, bytes: bytes, timeoutSeconds: timeout)
            return try TestResponse.parse(received)
        }
    }
}

public struct TestClientError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Blocking POSIX socket helpers for tests.
public enum RawSocket {
    /// - Parameters:
    ///   - receiveBuffer: a small `SO_RCVBUF` makes a slow reader's window fill fast; set before connecting so it
    ///     shapes the TCP window.
    public static func connect(port: Int, timeoutSeconds: Int = 30, receiveBuffer: Int32? = nil) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestClientError("socket failed") }
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(fd)
            throw TestClientError("connect to port \(port) failed: errno \(errno)")
        }
        return fd
    }

    public static func sendAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw TestClientError("send failed: errno \(errno)") }
            sent += n
        }
    }

    /// Reads until end of stream or timeout.
    public static func readAll(_ fd: Int32) throws -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return out }
            guard n > 0 else {
                if errno == EINTR { continue }
                throw TestClientError("recv failed or timed out: errno \(errno), got \(out.count) bytes")
            }
            out.append(contentsOf: buffer[0..<n])
        }
    }

    static func exchange(port: Int, bytes: [UInt8], timeoutSeconds: Int) throws -> [UInt8] {
        let fd = try connect(port: port, timeoutSeconds: timeoutSeconds)
        defer { close(fd) }
        try sendAll(fd, bytes)
        return try readAll(fd)
    }
}

extension TestResponse {
    /// Parses one response (Content-Length or chunked); enough for the tests' `Connection: close` requests.
    public static func parse(_ data: [UInt8]) throws -> TestResponse {
        guard let end = find([13, 10, 13, 10], in: data, from: 0) else {
            throw TestClientError("no complete response head in \(data.count) bytes")
        }
        let head = String(decoding: data[0..<end], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw TestClientError("bad status line") }
        let headers = lines.compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
        }
        var body = Array(data[(end + 4)...])
        let response = TestResponse(status: status, headers: headers, body: [])
        if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            body = dechunk(body)
        } else if let length = response.header("Content-Length").flatMap(Int.init), body.count > length {
            body = Array(body[0..<length])
        }
        return TestResponse(status: status, headers: headers, body: body)
    }

    static func dechunk(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while let lineEnd = find([13, 10], in: data, from: index) {
            let sizeText = String(decoding: data[index..<lineEnd], as: UTF8.self).split(separator: ";")[0]
            guard let size = Int(sizeText, radix: 16), size > 0, lineEnd + 2 + size <= data.count else { break }
            out.append(contentsOf: data[(lineEnd + 2)..<(lineEnd + 2 + size)])
            index = lineEnd + 2 + size + 2
        }
        return out
    }

    static func find(_ needle: [UInt8], in data: [UInt8], from start: Int) -> Int? {
        guard data.count >= needle.count, start <= data.count - needle.count else { return nil }
        for i in start...(data.count - needle.count) where data[i] == needle[0] {
            if Array(data[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }
}

/// Runs blocking work (sockets, child processes) on a new thread and awaits its result.
public enum BlockingThread {
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.stackSize = 512 * 1024
            thread.start()
        }
    }
}
