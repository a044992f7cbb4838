import Foundation

/// A test target's shared fixture (an app with its staff accounts and shortcuts), built on one app.
///
/// The layer is chosen where a test opens the fixture, by one pair of entry points every target shares: `with` runs
/// in process (most tests), `withServer` on a socket (parallel requests, the CLI beside a running server, work the
/// server's own loops must do by themselves). A fixture generic over its `Server` gets both by conforming.
public protocol TestFixture {
    associatedtype Server: TestApp

    /// Readies the fixture on a fresh app, e.g. signs up its admin and merchant.
    /// - Parameter server: the app, in process or on a socket.
    /// - Returns: the fixture.
    /// - Throws: whatever a set-up request throws.
    static func make(on server: Server) async throws -> Self
}

extension TestFixture where Server == InProcessApp {
    /// Runs `body` on a fixture over a fresh in-process app (see ``TestApp/gated(making:_:)``).
    /// - Parameters:
    ///   - testClock: run as `basar serve --test-clock`.
    ///   - contentDirectory: another `Content/` folder; the repository's by default.
    /// - Throws: the set-up's or the body's error, after the app stopped.
    public static func with(
        testClock: Bool = false, contentDirectory: URL? = nil, _ body: (Self) async throws -> Void
    ) async throws {
        try await InProcessApp.gated(making: {
            try await InProcessApp(contentDirectory: contentDirectory, testClock: testClock)
        }) { try await body(make(on: $0)) }
    }
}

extension TestFixture where Server == TestServer {
    /// Runs `body` on a fixture over a fresh server on a socket (see ``TestApp/gated(making:_:)``).
    /// - Parameters:
    ///   - testClock: run as `basar serve --test-clock`.
    ///   - contentDirectory: another `Content/` folder; the repository's by default.
    /// - Throws: the set-up's or the body's error, after the server stopped.
    public static func withServer(
        testClock: Bool = false, contentDirectory: URL? = nil, _ body: (Self) async throws -> Void
    ) async throws {
        try await TestServer.gated(testClock: testClock, contentDirectory: contentDirectory) { try await body(make(on: $0)) }
    }
}
