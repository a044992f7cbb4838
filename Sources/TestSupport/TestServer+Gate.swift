import Foundation

extension TestApp {
    /// Runs `body` on a fresh app from `make` while holding a place of ``ServerGate/shared``: the app stops and the
    /// place is given back whatever happens, then the body's error (if any) is rethrown for the test to record.
    public static func gated<T: Sendable>(
        making make: () async throws -> Self, _ body: (Self) async throws -> T
    ) async throws -> T {
        await ServerGate.shared.acquire()
        let app: Self
        do {
            app = try await make()
        } catch {
            await ServerGate.shared.release()
            throw error
        }
        let result: Result<T, any Error>
        do {
            result = .success(try await body(app))
        } catch {
            result = .failure(error)
        }
        await app.stop()
        await ServerGate.shared.release()
        return try result.get()
    }
}

extension TestServer {
    /// Runs `body` on a fresh server while holding a place of ``ServerGate/shared`` (see ``TestApp/gated(making:_:)``).
    ///
    /// - Parameters:
    ///   - testClock: run as `basar serve --test-clock`.
    ///   - contentDirectory: another `Content/` folder; the repository's by default.
    public static func gated<T: Sendable>(
        testClock: Bool = false, contentDirectory: URL? = nil, _ body: (TestServer) async throws -> T
    ) async throws -> T {
        try await gated(making: { try await TestServer(contentDirectory: contentDirectory, testClock: testClock) }, body)
    }
}
