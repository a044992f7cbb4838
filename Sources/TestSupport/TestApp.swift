import API
import Accounts
import App
import Core
import Foundation
import Storage

/// A running Basar as a feature test sees it, whether requests reach it over a socket (``TestServer``) or straight
/// through `API.handle` (``InProcessApp``).
///
/// Most feature tests only send requests and read the database, and they need no socket (issue 13: tests in layers).
/// A test fixture that holds `any TestApp` switches layers where it is created and nowhere else. What only a real server
/// has — the port, raw bytes, restarts on the same file, a background event log — stays on `TestServer`.
public protocol TestApp: Sendable {
    var app: BasarApp { get }
    var clock: any WallClock { get }
    var databasePath: String { get }

    /// Sends one request with an optional JSON body and bearer token.
    func send(
        _ method: String, _ path: String, json: JSON?, token: String?, headers: [(String, String)]
    ) async throws -> TestResponse

    /// Stops the app and removes its database.
    func stop() async
}

extension TestApp {
    public var services: Services { app.services }
    public var database: Database { app.services.database }

    public func send(
        _ method: String, _ path: String, json: JSON? = nil, token: String? = nil, headers: [(String, String)] = []
    ) async throws -> TestResponse {
        try await send(method, path, json: json, token: token, headers: headers)
    }

    /// Signs up a new account through the API; roles are granted directly.
    /// - Returns: the new account's token and id.
    /// - Throws: `TestClientError` when the sign-up is not answered with 201.
    public func signUp(
        email: String? = nil, name: String = "Test User", roles: [Role] = []
    ) async throws -> (token: String, accountID: String) {
        let address = email ?? "user-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        let response = try await send(
            "POST", "/v1/accounts",
            json: ["email": .string(address), "password": "correct horse battery", "display_name": .string(name)]
        )
        guard response.status == 201, let token = response.json["token"]?.stringValue,
              let id = response.json["account"]?["id"]?.stringValue
        else { throw TestClientError("sign-up failed: \(response.status) \(response.text)") }
        for role in roles { _ = try await services.accounts.grant(role, to: id) }
        return (token, id)
    }
}
