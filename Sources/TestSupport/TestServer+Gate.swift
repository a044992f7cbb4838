import Foundation

extension TestServer {
    /// Runs `body` on a fresh server while holding a place of ``ServerGate/shared``: the server stops and the place is
    /// given back whatever happens, then the body's error (if any) is rethrown for the test to record.
    ///
    /// - Parameters:
    ///   - testClock: run as `basar serve --test-clock`.
    ///   - contentDirectory: another `Content/` folder; the repository's by default.
    public static func gated<T: Sendable>(
        testClock: Bool = false, contentDirectory: URL? = nil, _ body: (TestServer) async throws -> T
    ) async throws -> T {
        await ServerGate.shared.acquire()
        let server: TestServer
        do {
            server = try await TestServer(contentDirectory: contentDirectory, testClock: testClock)
        } catch {
            await ServerGate.shared.release()
            throw error
        }
        let result: Result<T, any Error>
        do {
            result = .success(try await body(server))
        } catch {
            result = .failure(error)
        }
        await server.stop()
        await ServerGate.shared.release()
        return try result.get()
    }
}
