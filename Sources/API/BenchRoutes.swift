import Core
import HTTP

/// Fixed answers for load tests, the same ones the peer servers in `bench/` serve, so a comparison measures the
/// server and not the work behind it.
/// Served only with `basar serve --bench-routes`.
public enum BenchRoutes {
    static let plaintext = Array("Hello, World!".utf8)
    static let message: JSON = ["message": "Hello, World!"]

    public static func routes(_ s: Services) -> [Route] {
        [
            Route(.GET, "/bench/plaintext", .everyone) { _ in
                var response = HTTPResponse(status: 200, body: plaintext)
                response.headers.set("Content-Type", "text/plain; charset=utf-8")
                return response
            },
            Route(.GET, "/bench/json", .everyone) { _ in .json(200, message) },
            Route(.POST, "/bench/echo", .everyone) { req in
                // Any object; the strict reader still rejects malformed JSON and non-objects.
                .json(200, try req.body(allowed: nil).value)
            },
        ]
    }
}
