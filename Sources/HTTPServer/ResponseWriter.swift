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

    /// Serializes `response` with a complete body.
    static func serialize(_ response: HTTPResponse, body: [UInt8], context: Context) -> [UInt8] {
        var out = head(response, framing: .contentLength(body.count), context: context)
        // RFC 9110 §9.3.2: HEAD gets the same headers as GET and no content.
        if !context.isHead, !HTTPStatus.forbidsBody(response.status) { out.append(contentsOf: body) }
        return out
    }

    /// Serializes a status line and header section; connection-level headers set by the handler are replaced.
    static func head(_ response: HTTPResponse, framing: Framing, context: Context) -> [UInt8] {
        var text = "HTTP/1.1 \(response.status) \(HTTPStatus.reason(response.status))\r\n"
        for (name, value) in response.headers {
            switch name.lowercased() {
            case "content-length", "transfer-encoding", "connection", "date", "x-request-id",
                "x-content-type-options", "server":
                continue
            default:
                // Never emit CR/LF from a handler's value: that would allow response splitting.
                guard !value.utf8.contains(where: { $0 == 13 || $0 == 10 }) else { continue }
                text += "\(name): \(value)\r\n"
            }
        }
        text += "Date: \(context.date)\r\n"
        switch framing {
        case .contentLength(let length):
            // RFC 9110 §8.6: no Content-Length on 1xx and 204.
            if response.status >= 200, response.status != 204 { text += "Content-Length: \(length)\r\n" }
        case .chunked:
            text += "Transfer-Encoding: chunked\r\n"
        case .untilClose:
            break
        }
        if !context.keepAlive {
            text += "Connection: close\r\n"
        } else if context.version == .http1_0 {
            text += "Connection: keep-alive\r\n"
        }
        text += "X-Request-Id: \(context.requestID)\r\nX-Content-Type-Options: nosniff\r\n\r\n"
        return Array(text.utf8)
    }

    /// The interim `100 Continue` (RFC 9110 §15.2.1).
    static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// One chunk: `hex-size CRLF data CRLF` (RFC 9112 §7.1).
    static func chunk(_ bytes: [UInt8]) -> [UInt8] {
        var out = Array(String(bytes.count, radix: 16).utf8)
        out.reserveCapacity(out.count + bytes.count + 4)
        out.append(13)
        out.append(10)
        out.append(contentsOf: bytes)
        out.append(13)
        out.append(10)
        return out
    }

    /// The last chunk and an empty trailer section.
    static let lastChunk = Array("0\r\n\r\n".utf8)
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
