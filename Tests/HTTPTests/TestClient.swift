import Dispatch
import Foundation
import Glibc
import HTTP

/// A failure of the raw test client.
struct ClientError: Error, CustomStringConvertible {
    var description: String
}

/// A parsed response as the raw client saw it.
struct TestResponse {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A blocking POSIX client with `SO_RCVTIMEO`, so no test can hang; every loop is bounded by the timeout.
final class TestClient {
    let fd: Int32
    private var buffer: [UInt8] = []

    /// - Parameters:
    ///   - port: the server port on 127.0.0.1.
    ///   - timeout: seconds a single receive may block.
    ///   - receiveBuffer: a small `SO_RCVBUF` to make a slow reader's window fill quickly.
    init(port: Int, timeout: Int = 30, receiveBuffer: Int32? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClientError(description: "socket failed") }
        var time = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            // No close here: every stored property is set, so throwing still runs deinit, which closes `fd`. A
            // second close could hit a descriptor another test has opened since — all test targets share one
            // process, and that made a LiveShoppingTests request fail with EBADF.
            throw ClientError(description: "connect failed: errno \(errno)")
        }
    }

    deinit { close(fd) }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw ClientError(description: "send failed: errno \(errno)") }
            offset += n
        }
    }

    /// Receives more bytes into the buffer.
    /// - Returns: `false` at end of stream (or reset).
    /// - Throws: on timeout.
    @discardableResult
    func receive() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 {
            buffer.append(contentsOf: chunk[0..<n])
            return true
        }
        if n == 0 || errno == ECONNRESET { return false }
        throw ClientError(description: "receive timed out or failed: errno \(errno)")
    }

    /// Reads one CRLF-terminated line.
    func readLine() throws -> String {
        while true {
            if let lf = buffer.firstIndex(of: 10), lf > 0, buffer[lf - 1] == 13 {
                let line = String(decoding: buffer[0..<(lf - 1)], as: UTF8.self)
                buffer.removeFirst(lf + 1)
                return line
            }
            guard try receive() else { throw ClientError(description: "closed while reading a line") }
        }
    }

    func readBytes(_ count: Int) throws -> [UInt8] {
        while buffer.count < count {
            guard try receive() else { throw ClientError(description: "closed while reading a body") }
        }
        defer { buffer.removeFirst(count) }
        return Array(buffer[0..<count])
    }

    /// Reads a status line and header section.
    func readHead() throws -> (status: Int, headers: HTTPHeaders) {
        let statusLine = try readLine()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0] == "HTTP/1.1", let status = Int(parts[1]) else {
            throw ClientError(description: "bad status line \(statusLine)")
        }
        var headers = HTTPHeaders()
        while true {
            let line = try readLine()
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { throw ClientError(description: "bad header \(line)") }
            headers.add(String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
        }
        return (status, headers)
    }

    /// Reads one complete response (Content-Length, chunked, or until close).
    func readResponse(isHead: Bool = false) throws -> TestResponse {
        let (status, headers) = try readHead()
        if isHead { return TestResponse(status: status, headers: headers, body: []) }
        if let length = headers["Content-Length"].flatMap({ Int($0) }) {
            return TestResponse(status: status, headers: headers, body: try readBytes(length))
        }
        if headers["Transfer-Encoding"] == "chunked" {
            var body: [UInt8] = []
            while let chunk = try readChunk() { body += chunk }
            return TestResponse(status: status, headers: headers, body: body)
        }
        return TestResponse(status: status, headers: headers, body: try readUntilClosed())
    }

    /// Reads one chunk of a chunked body; `nil` for the last chunk.
    func readChunk() throws -> [UInt8]? {
        let sizeLine = try readLine()
        guard let size = Int(sizeLine, radix: 16) else { throw ClientError(description: "bad chunk size \(sizeLine)") }
        if size == 0 {
            _ = try readLine()
            return nil
        }
        let data = try readBytes(size)
        guard try readLine().isEmpty else { throw ClientError(description: "chunk without CRLF") }
        return data
    }

    /// Reads until the server closes.
    func readUntilClosed() throws -> [UInt8] {
        while try receive() {}
        defer { buffer = [] }
        return buffer
    }

    /// Whether the server closed the connection (end of stream within the receive timeout, no extra bytes).
    func isClosedByServer() -> Bool {
        (try? receive()) == false && buffer.isEmpty
    }
}

@available(*, unavailable) extension TestClient: Sendable {}

/// Runs blocking client work on a plain thread, so it never ties up the cooperative pool the handlers need.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result { try body() })
        }
    }
}
