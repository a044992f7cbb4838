/// An HTTP request method (RFC 9110 §9).
///
/// Any token is accepted by the parser; the common methods are named statics.
public struct HTTPMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The method token exactly as sent; methods are case-sensitive (RFC 9110 §9.1).
    public let rawValue: String

    /// - Parameter rawValue: a method token such as `GET`.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// - Parameter rawValue: a method token such as `GET`.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public static let GET = HTTPMethod("GET")
    public static let HEAD = HTTPMethod("HEAD")
    public static let POST = HTTPMethod("POST")
    public static let PUT = HTTPMethod("PUT")
    public static let PATCH = HTTPMethod("PATCH")
    public static let DELETE = HTTPMethod("DELETE")
    public static let OPTIONS = HTTPMethod("OPTIONS")

    public var description: String { rawValue }
}

/// An HTTP version as sent in the request line (RFC 9112 §2.3).
public struct HTTPVersion: Hashable, Sendable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    /// - Parameters:
    ///   - major: the major digit.
    ///   - minor: the minor digit.
    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)

    public var description: String { "HTTP/\(major).\(minor)" }
}
