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
public final class InProcessApp: Sendable {
    public let app: BasarApp
    public let databasePath: String
    public var services: Services { app.services }

    /// - Parameter testClock: run as `basar serve --test-clock` (admins move time with `POST /v1/admin/test-clock`).
    public init(testClock: Bool = false) async throws {
        databasePath = TestServer.temporaryDatabasePath()
        var configuration = AppConfiguration()
        configuration.databasePath = databasePath
        configuration.contentDirectory = TestServer.repositoryRoot.appendingPathComponent("Content")
        configuration.fixturesDirectory = TestServer.repositoryRoot.appendingPathComponent("Fixtures")
        configuration.logLevel = .error
        configuration.testClock = testClock
        app = try await BasarApp(configuration)
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

    /// Signs up through the API; roles are granted directly.
    public func signUp(name: String = "Test User", roles: [Role] = []) async throws -> (token: String, accountID: String) {
        let email = "user-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        let response = try await send(
            "POST", "/v1/accounts",
            json: ["email": .string(email), "password": "correct horse battery", "display_name": .string(name)]
        )
        guard response.status == 201, let token = response.json["token"]?.stringValue,
              let id = response.json["account"]?["id"]?.stringValue
        else { throw TestClientError("sign-up failed: \(response.status) \(response.text)") }
        for role in roles { _ = try await services.accounts.grant(role, to: id) }
        return (token, id)
    }

    /// Lets the event consumers and the scheduler finish everything that is due.
    public func settle() async {
        await app.dispatcher.catchUp()
        while await services.scheduler.runDue() {}
        await app.dispatcher.catchUp()
    }
}
