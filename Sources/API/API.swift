import Accounts
import Core
import Foundation
import HTTP

/// The JSON API: matches a route, authenticates, checks the role, runs the handler, renders errors, logs one line.
public final class API: Sendable {
    private let router: Router<Route>
    private let accounts: AccountService
    private let logger: Logger
    public let metrics: Metrics
    /// Methods some route uses; any other method is `501` (API.md §12).
    private let knownMethods: Set<HTTPMethod>

    public init(routes: [Route], accounts: AccountService, metrics: Metrics, logger: Logger) {
        var router = Router<Route>()
        for route in routes { router.add(route.method, route.pattern, route) }
        self.router = router
        self.accounts = accounts
        self.metrics = metrics
        self.logger = logger
        knownMethods = Set(routes.map(\.method) + [.HEAD])
    }

    /// Every `(method, pattern)` the API answers, for the OpenAPI drift test.
    public var routes: [(method: HTTPMethod, pattern: String)] { router.routes }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let started = DispatchTime.now().uptimeNanoseconds
        // Built only to log or to render an error: a child logger allocates, and most requests need neither.
        var requestLogger: Logger { logger.with("request.id", request.requestID) }
        var routeName = "unmatched"
        var response: HTTPResponse
        switch router.match(request.method, request.path) {
        case .notFound:
            response = knownMethods.contains(request.method)
                ? Problem.make(status: 404, code: "not_found", detail: "No resource at \(request.path)")
                : Problem.make(status: 501, code: "not_implemented", detail: "Method \(request.method.rawValue) is not implemented")
        case let .methodNotAllowed(allowed):
            if knownMethods.contains(request.method) {
                response = Problem.make(status: 405, code: "method_not_allowed", detail: "\(request.method.rawValue) is not allowed here")
                response.headers.set("Allow", allowed.map(\.rawValue).joined(separator: ", "))
            } else {
                response = Problem.make(status: 501, code: "not_implemented", detail: "Method \(request.method.rawValue) is not implemented")
            }
        case let .found(route, pattern, parameters):
            routeName = pattern
            response = await run(route, pattern: pattern, parameters: parameters, request: request) { requestLogger }
        }
        if response.headers["Cache-Control"] == nil { response.headers.set("Cache-Control", "no-store") }
        let elapsed = DispatchTime.now().uptimeNanoseconds - started
        metrics.record(route: routeName, status: response.status, seconds: Double(elapsed) / 1e9)
        if logger.minimumLevel <= .info {
            requestLogger.info("request", [
                "method": request.method.rawValue, "route": routeName, "status": String(response.status),
                "duration_ms": Self.milliseconds(elapsed),
            ])
        }
        return response
    }

    private func run(
        _ route: Route, pattern: String, parameters: [String: String], request: HTTPRequest,
        logger: () -> Logger
    ) async -> HTTPResponse {
        do {
            var principal = try await authenticate(request)
            // Event streams also open with a single-use ticket (API.md §24): EventSource cannot send a header.
            if principal == nil, pattern.hasSuffix("/events"), let ticket = request.query["ticket"] {
                principal = try await accounts.redeemTicket(ticket)
                guard principal != nil else {
                    throw Failure("unauthenticated", .unauthorized, "The ticket is unknown, used or expired")
                }
            }
            switch route.access {
            case .everyone: break
            case .signedIn:
                guard principal != nil else { throw Self.unauthenticated }
            case let .role(role):
                guard let principal else { throw Self.unauthenticated }
                guard principal.has(role) else { throw Failure.forbidden("This needs the \(role.rawValue) role") }
            case let .anyRole(roles):
                guard let principal else { throw Self.unauthenticated }
                guard roles.contains(where: principal.has) else {
                    throw Failure.forbidden("This needs one of the roles \(roles.map(\.rawValue).joined(separator: ", "))")
                }
            }
            let apiRequest = APIRequest(http: request, route: pattern, parameters: parameters, principal: principal)
            return try await route.handler(apiRequest)
        } catch {
            return Problem.response(for: error, logger: logger())
        }
    }

    /// Milliseconds with two decimals, without `String(format:)` on the hot path.
    static func milliseconds(_ nanoseconds: UInt64) -> String {
        let hundredths = (nanoseconds + 5_000) / 10_000
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    static let unauthenticated = Failure("unauthenticated", .unauthorized, "Send a valid token as Authorization: Bearer <token>")

    private func authenticate(_ request: HTTPRequest) async throws -> Principal? {
        guard let header = request.headers["Authorization"] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return try await accounts.principal(forToken: String(parts[1]).trimmedWhitespace)
    }
}
