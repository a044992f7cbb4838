import Accounts
import Core
import Foundation
import HTTP
import Storage

/// Health, metrics, the OpenAPI document (API.md §10) and the test clock (§13).
enum OperationsRoutes {
    /// `BASAR_NODE`, else host name and process id: a name for this process among several nodes.
    static let node: String = {
        if let name = ProcessInfo.processInfo.environment["BASAR_NODE"], !name.isEmpty { return name }
        return "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
    }()

    static func testClock(_ s: Services, _ req: APIRequest) throws -> AdjustableClock {
        guard let clock = s.testClock else { throw Failure.notFound("No resource at \(req.http.path)") }
        guard let caller = req.principal else { throw API.unauthenticated }
        guard caller.has(.admin) else { throw Failure.forbidden("This needs the admin role") }
        return clock
    }

    static func routes(_ s: Services) -> [Route] {
        let openAPI = (try? Data(contentsOf: s.contentDirectory.appendingPathComponent("openapi.json"))).map { [UInt8]($0) }
        return [
            // API.md §23: which engine serves and which process answered, for a load balancer's checks.
            Route(.GET, "/healthz", .everyone) { _ in
                let engine = s.database.dialect == .postgres ? "postgresql" : "sqlite"
                return .json(200, ["status": "ok", "database": .string(engine), "node": .string(OperationsRoutes.node)])
            },
            Route(.GET, "/metrics", .role(.admin)) { _ in
                var response = HTTPResponse(status: 200, body: Array(s.metrics.render().utf8))
                response.headers.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                return response
            },
            // The test clock (API.md §13) exists only with --test-clock: without it both routes are 404 to everyone,
            // so the access check runs in the handler, after the existence check.
            Route(.GET, "/v1/admin/test-clock", .everyone) { req in
                let clock = try testClock(s, req)
                return .json(200, ["now": .string(Timestamp.format(clock.now()))])
            },
            Route(.POST, "/v1/admin/test-clock", .everyone) { req in
                let clock = try testClock(s, req)
                let seconds = try req.body(allowed: ["advance_seconds"]).int("advance_seconds", 1...31_536_000)
                let now = try await s.scheduler.advance(clock, bySeconds: seconds)
                return .json(200, ["now": .string(Timestamp.format(now))])
            },
            Route(.GET, "/openapi.json", .everyone) { _ in
                guard let openAPI else { throw Failure.notFound("The OpenAPI document") }
                var response = HTTPResponse.json(status: 200, openAPI)
                response.headers.set("Cache-Control", "public, max-age=300")
                return response
            },
        ]
    }
}
