import Foundation

/// Writes one JSON object per line to standard error.
///
/// Fields are flat strings so a line is always valid JSON and cheap to build. Callers must never pass
/// passwords, tokens or SQL arguments as fields (STYLE.md §18).
public struct Logger: Sendable {
    public enum Level: Int, Sendable, Comparable {
        case debug, info, warning, error

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }

        var name: String {
            switch self {
            case .debug: "debug"
            case .info: "info"
            case .warning: "warning"
            case .error: "error"
            }
        }
    }

    public var minimumLevel: Level
    /// Fields added to every line, such as `request.id`.
    public var metadata: [(String, String)]
    private let sink: @Sendable (String) -> Void

    /// - Parameters:
    ///   - minimumLevel: lines below this level are dropped.
    ///   - sink: receives each finished line; standard error by default.
    public init(minimumLevel: Level = .info, sink: (@Sendable (String) -> Void)? = nil) {
        self.minimumLevel = minimumLevel
        self.metadata = []
        self.sink = sink ?? { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }

    /// A logger that drops everything; for tests and tools.
    public static let silent = Logger(minimumLevel: .error, sink: { _ in })

    /// Returns a copy that adds `key: value` to every line.
    public func with(_ key: String, _ value: String) -> Logger {
        var copy = self
        copy.metadata.append((key, value))
        return copy
    }

    public func debug(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) { log(.debug, message, fields) }
    public func info(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) { log(.info, message, fields) }
    public func warning(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) { log(.warning, message, fields) }
    public func error(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) { log(.error, message, fields) }

    public func log(_ level: Level, _ message: String, _ fields: KeyValuePairs<String, String>) {
        guard level >= minimumLevel else { return }
        var line = "{\"ts\":\"\(Timestamp.format(Date()))\",\"level\":\"\(level.name)\",\"msg\":"
        JSONString.append(message, to: &line)
        for (key, value) in metadata { appendField(key, value, to: &line) }
        for (key, value) in fields { appendField(key, value, to: &line) }
        line += "}"
        sink(line)
    }

    private func appendField(_ key: String, _ value: String, to line: inout String) {
        line += ","
        JSONString.append(key, to: &line)
        line += ":"
        JSONString.append(value, to: &line)
    }
}

/// Escapes a string as a JSON string literal (RFC 8259 §7).
public enum JSONString {
    public static func append(_ value: String, to out: inout String) {
        out.append("\"")
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case let s where s.value < 0x20:
                out.append("\\u00")
                out.append(hexDigit(s.value >> 4))
                out.append(hexDigit(s.value & 0xF))
            default: out.unicodeScalars.append(scalar)
            }
        }
        out.append("\"")
    }

    private static func hexDigit(_ v: UInt32) -> Character {
        Character(UnicodeScalar(v < 10 ? 48 + v : 87 + v)!)
    }
}
