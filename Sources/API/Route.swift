import Accounts
import HTTP

/// Who may call a route; checked in one place, in the order of API.md §12 (401 before 403).
public enum Access: Sendable, Equatable {
    /// No token needed; a valid token still identifies the caller.
    case everyone
    /// Any signed-in account.
    case signedIn
    /// Signed in with this role (admin passes every role check).
    case role(Role)
    /// Signed in with any of these roles (admin passes too).
    case anyRole([Role])
}

public typealias Handler = @Sendable (APIRequest) async throws -> HTTPResponse

public struct Route: Sendable {
    public let method: HTTPMethod
    public let pattern: String
    public let access: Access
    public let handler: Handler

    public init(_ method: HTTPMethod, _ pattern: String, _ access: Access, _ handler: @escaping Handler) {
        self.method = method
        self.pattern = pattern
        self.access = access
        self.handler = handler
    }
}
