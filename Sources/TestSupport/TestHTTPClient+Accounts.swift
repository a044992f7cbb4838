import Core
import Foundation
import Storage

/// Account set-up against a server the test does not host in-process (`BasarProcess`), shared by the crash tests.
extension TestHTTPClient {
    /// Signs up through `POST /v1/accounts`.
    /// - Returns: the new account's token and id.
    public func signUp(email: String? = nil, name: String = "Test User") async throws -> (token: String, accountID: String) {
        let address = email ?? "user-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        let response = try await send("POST", "/v1/accounts", json: [
            "email": .string(address), "password": "correct horse battery", "display_name": .string(name),
        ])
        guard response.status == 201, let token = response.json["token"]?.stringValue,
              let id = response.json["account"]?["id"]?.stringValue
        else { throw TestClientError("sign-up failed: \(response.status) \(response.text)") }
        return (token, id)
    }
}

extension BasarBinary {
    /// Grants `role` with `basar accounts grant` on `databasePath` (the CLI works while the server runs, and roles
    /// are read on every request, so the grant applies to existing tokens at once).
    public static func grant(email: String, role: String, databasePath: String) async throws {
        let option = Database.isPostgresURL(databasePath) ? "--database" : "--db"
        let result = try await execute(["accounts", "grant", email, role, option, databasePath])
        guard result.code == 0 else { throw TestClientError("grant \(role) to \(email) failed: \(result.stderr)") }
    }
}
