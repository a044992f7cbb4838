import HTTP

/// Settings of an `HTTPServer`; every limit has a documented default.
public struct ServerConfiguration: Sendable {
    /// The IPv4 address to bind.
    public var host: String = "127.0.0.1"
    /// The port; 0 picks a free one (see `HTTPServer.port`).
    public var port: Int = 8080
    /// Event loop threads, each with its own epoll; defaults to the processor count.
    public var eventLoops: Int = ServerConfiguration.processorCount
    /// Connections beyond this are accepted and closed at once, so the listen queue never fills.
    public var maxConnections: Int = 20_000
    /// Parser limits; `bodyBytes` is the default body limit.
    public var limits = HTTPLimits()
    /// A per-route body limit (method, decoded path) overriding `limits.bodyBytes`; `nil` keeps the default.
    public var bodyLimit: (@Sendable (HTTPMethod, String) -> Int?)?
    /// Seconds a client has to send a complete header section (and between body reads) → 408.
    public var headerTimeout: Double = 10
    /// Seconds an idle keep-alive connection stays open.
    public var idleTimeout: Double = 60
    /// Seconds `shutdown()` waits for in-flight requests.
    public var shutdownGrace: Double = 10
    /// Unsent bytes an event stream may buffer before it is closed as too slow.
    public var streamBufferLimit: Int = 256 * 1024
    /// Requests parsed ahead per connection while one is handled; beyond this reading stops.
    public var maxPipelined: Int = 16

    /// Creates the default configuration.
    public init() {}

    /// - Parameters:
    ///   - host: the address to bind.
    ///   - port: the port, 0 for any.
    public init(host: String = "127.0.0.1", port: Int) {
        self.host = host
        self.port = port
    }

    static var processorCount: Int { max(1, System.coreCount) }
}

#if canImport(Glibc)
import Glibc

enum System {
    static var coreCount: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
}
#endif
