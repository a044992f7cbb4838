#if canImport(Glibc)
import Glibc
#endif
import HTTP

/// Serializes response heads (RFC 9112 §4, §6) and chunks (§7.1).
enum ResponseWriter {
    /// The connection-level facts that shape a response head.
    struct Context {
        var requestID: String
        var isHead: Bool
        var version: HTTPVersion
        var keepAlive: Bool
        var date: String
    }

    /// How the body will follow the head.
    enum Framing {
        case contentLength(Int)
        case chunked
        /// HTTP/1.0 streams: the body ends when the connection closes (RFC 9112 §6.3 item 8).
        case untilClose
    }

    /// Serializes `response` with a complete body into one buffer, sized once.
    static func serialize(_ response: HTTPResponse, body: [UInt8], context: Context) -> [UInt8] {
        // RFC 9110 §9.3.2: HEAD gets the same headers as GET and no content.
        let withBody = !context.isHead && !HTTPStatus.forbidsBody(response.status)
        var out: [UInt8] = []
        out.reserveCapacity(estimatedHeadSize(response, context: context) + (withBody ? body.count : 0))
        writeHead(response, framing: .contentLength(body.count), context: context, into: &out)
        if withBody { out.append(contentsOf: body) }
        return out
    }

    /// Serializes a status line and header section; connection-level headers set by the handler are replaced.
    static func head(_ response: HTTPResponse, framing: Framing, context: Context) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(estimatedHeadSize(response, context: context))
        writeHead(response, framing: framing, context: context, into: &out)
        return out
    }

    /// Enough for the fixed part of a head (status line, Date, Content-Length, Connection, X-Request-Id,
    /// X-Content-Type-Options) plus the handler's fields.
    static func estimatedHeadSize(_ response: HTTPResponse, context: Context) -> Int {
        var size = 200 + context.requestID.utf8.count
        for (name, value) in response.headers { size += name.utf8.count + value.utf8.count + 4 }
        return size
    }

    /// Appends the head as bytes: the status line comes from a table and the server's own field names are
    /// literals, so no text is built or lowercased per response.
    static func writeHead(_ response: HTTPResponse, framing: Framing, context: Context, into out: inout [UInt8]) {
        let status = response.status
        if let line = StatusLines.line(status) {
            out.append(contentsOf: line)
        } else {
            out.append(contentsOf: "HTTP/1.1 ".utf8)
            appendDecimal(status, to: &out)
            out.append(0x20)
            out.append(contentsOf: HTTPStatus.reason(status).utf8)
            out.append(contentsOf: crlf)
        }
        for (name, value) in response.headers where !isServerField(name) {
            // Never emit CR/LF from a handler's value: that would allow response splitting.
            guard !value.utf8.contains(where: { $0 == 13 || $0 == 10 }) else { continue }
            out.append(contentsOf: name.utf8)
            out.append(0x3A)
            out.append(0x20)
            out.append(contentsOf: value.utf8)
            out.append(contentsOf: crlf)
        }
        out.append(contentsOf: "Date: ".utf8)
        out.append(contentsOf: context.date.utf8)
        out.append(contentsOf: crlf)
        switch framing {
        case .contentLength(let length):
            // RFC 9110 §8.6: no Content-Length on 1xx and 204.
            if status >= 200, status != 204 {
                out.append(contentsOf: "Content-Length: ".utf8)
                appendDecimal(length, to: &out)
                out.append(contentsOf: crlf)
            }
        case .chunked:
            out.append(contentsOf: "Transfer-Encoding: chunked\r\n".utf8)
        case .untilClose:
            break
        }
        if !context.keepAlive {
            out.append(contentsOf: "Connection: close\r\n".utf8)
        } else if context.version == .http1_0 {
            out.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        out.append(contentsOf: "X-Request-Id: ".utf8)
        out.append(contentsOf: context.requestID.utf8)
        out.append(contentsOf: "\r\nX-Content-Type-Options: nosniff\r\n\r\n".utf8)
    }

    static let crlf: [UInt8] = [13, 10]

    /// Whether `name` is a field the server sets itself (handlers' copies are dropped); compared by length first.
    static func isServerField(_ name: String) -> Bool {
        switch name.utf8.count {
        case 4: HTTPHeaders.equal(name, "date")
        case 6: HTTPHeaders.equal(name, "server")
        case 10: HTTPHeaders.equal(name, "connection")
        case 12: HTTPHeaders.equal(name, "x-request-id")
        case 14: HTTPHeaders.equal(name, "content-length")
        case 17: HTTPHeaders.equal(name, "transfer-encoding")
        case 22: HTTPHeaders.equal(name, "x-content-type-options")
        default: false
        }
    }

    /// Appends the decimal digits of a non-negative `value`.
    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        guard value > 0 else {
            out.append(0x30)
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while rest > 0 {
                buffer[19 - count] = UInt8(truncatingIfNeeded: rest % 10) + 0x30
                rest /= 10
                count += 1
            }
            out.append(contentsOf: buffer[(20 - count)...])
        }
    }

    /// The interim `100 Continue` (RFC 9110 §15.2.1).
    static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Appends one chunk, `hex-size CRLF data CRLF` (RFC 9112 §7.1), without building the size as a String.
    static func appendChunk(_ bytes: [UInt8], to out: inout [UInt8]) {
        let digits = hexDigits(bytes.count)
        for shift in stride(from: (digits - 1) * 4, through: 0, by: -4) {
            out.append(hex[(bytes.count >> shift) & 0xF])
        }
        out.append(13)
        out.append(10)
        out.append(contentsOf: bytes)
        out.append(13)
        out.append(10)
    }

    /// The bytes a chunk of `count` payload bytes takes on the wire.
    static func chunkSize(_ count: Int) -> Int { hexDigits(count) + count + 4 }

    private static func hexDigits(_ count: Int) -> Int {
        count == 0 ? 1 : (Int.bitWidth - count.leadingZeroBitCount + 3) / 4
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// The last chunk and an empty trailer section.
    static let lastChunk = Array("0\r\n\r\n".utf8)
}

/// Status lines (`HTTP/1.1 200 OK\r\n`) for every status with a reason phrase, built once.
enum StatusLines {
    static let table: [[UInt8]] = (0..<500).map { offset in
        let status = offset + 100
        let reason = HTTPStatus.reason(status)
        return reason.isEmpty ? [] : Array("HTTP/1.1 \(status) \(reason)\r\n".utf8)
    }

    static func line(_ status: Int) -> [UInt8]? {
        guard status >= 100, status < 600 else { return nil }
        let line = table[status - 100]
        return line.isEmpty ? nil : line
    }
}

/// Formats the `Date` header (IMF-fixdate, RFC 9110 §5.6.7) at most once per second per loop.
struct DateCache {
    private var second: time_t = -1
    private var cached = ""

    mutating func current() -> String {
        let now = time(nil)
        if now != second {
            second = now
            cached = Self.format(now)
        }
        return cached
    }

    static func format(_ seconds: time_t) -> String {
        var t = seconds
        var parts = tm()
        gmtime_r(&t, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) "
            + "\(parts.tm_year + 1900) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
