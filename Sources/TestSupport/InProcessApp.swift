import API
import Accounts
import App
import Core
import Foundation
import HTTP
import Storage

/// Basar without a socket (STYLE.md §22, Hummingbird's `.router` test mode): requests go straight to `API.handle`,
/// and nothing runs in the background — a test moves the event log and the scheduler itself with ``settle()``, so
/// what it checks never depends on timing. Use `TestServer` only where the socket is the point.
public final class InProcessApp: TestApp {
    public let app: BasarApp
    public let databasePath: String
    public let clock: any WallClock

    /// Builds the app on a fresh temp-file database; nothing listens and nothing runs in the background.
    /// - Parameters:
    ///   - clock: inject a `ManualClock` to move time.
    ///   - demo: load `Fixtures/` as `basar serve --demo` does.
    ///   - contentDirectory: another `Content/` folder (test games); the repository's by default.
    ///   - testClock: run as `basar serve --test-clock` (admins move time with `POST /v1/admin/test-clock`; then
    ///     `clock` is not used).
    public init(
        clock: any WallClock = SystemClock(), demo: Bool = false, contentDirectory: URL? = nil, testClock: Bool = false
    ) async throws {
        let path = TestServer.temporaryDatabasePath()
        let configuration = TestServer.configuration(
            databasePath: path, demo: demo, contentDirectory: contentDirectory, testClock: testClock
        )
        app = try await BasarApp(configuration, clock: clock)
        databasePath = path
        self.clock = clock
    }

    /// Closes the database and removes its files.
    public func stop() async {
        await app.shutdown()
        TestServer.removeDatabase(at: databasePath)
    }

    public func send(
        _ method: String, _ path: String, json: JSON? = nil, token: String? = nil, headers: [(String, String)] = []
    ) async throws -> TestResponse {
        var fields = HTTPHeaders()
        if let token { fields.set("Authorization", "Bearer \(token)") }
        for (name, value) in headers { fields.set(name, value) }
        if json != nil, fields["Content-Type"] == nil { fields.set("Content-Type", "application/json") }
        let request = HTTPRequest(
            method: HTTPMethod(rawValue: method), target: path, headers: fields, body: json?.serialized() ?? []
        )
        let response = await app.api.handle(request)
        return TestResponse(status: response.status, headers: response.headers.map { ($0.name, $0.value) }, body: response.bodyBytes)
    }

    /// Lets the event consumers and the scheduler finish everything that is due.
    public func settle() async {
        await app.dispatcher.catchUp()
        while await services.scheduler.runDue() {}
        await app.dispatcher.catchUp()
    }
}
