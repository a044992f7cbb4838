import Accounts
import Core
import Foundation
import HTTP

/// Health, metrics and the OpenAPI document (API.md §10).
enum OperationsRoutes {
    static func routes(_ s: Services) -> [Route] {
        let openAPI = (try? Data(contentsOf: s.contentDirectory.appendingPathComponent("openapi.json"))).map { [UInt8]($0) }
        return [
            Route(.GET, "/healthz", .everyone) { _ in .json(200, ["status": "ok"]) },
            Route(.GET, "/metrics", .role(.admin)) { _ in
                var response = HTTPResponse(status: 200, body: Array(s.metrics.render().utf8))
                response.headers.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                return response
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
