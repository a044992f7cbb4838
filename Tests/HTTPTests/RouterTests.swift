import Testing
import HTTP

@Suite("Router")
struct RouterTests {
    static func router() -> Router<String> {
        var router = Router<String>()
        router.add(.GET, "/v1/products", "list")
        router.add(.POST, "/v1/products", "create")
        router.add(.GET, "/v1/products/{id}", "show")
        router.add(.GET, "/v1/products/search", "search")
        router.add(.DELETE, "/v1/live-sessions/{id}/pins/{pin_id}", "unpin")
        router.add(.GET, "/v1/live-sessions/{session}/events", "events")
        router.add(.GET, "/", "root")
        return router
    }

    func found(_ match: RouteMatch<String>) -> (String, String, [String: String])? {
        if case .found(let handler, let pattern, let parameters) = match { return (handler, pattern, parameters) }
        return nil
    }

    @Test("parameters are captured")
    func parameters() throws {
        let (handler, pattern, parameters) = try #require(found(Self.router().match(.DELETE, "/v1/live-sessions/live_1/pins/pin_2")))
        #expect(handler == "unpin")
        #expect(pattern == "/v1/live-sessions/{id}/pins/{pin_id}")
        #expect(parameters == ["id": "live_1", "pin_id": "pin_2"])
        let events = try #require(found(Self.router().match(.GET, "/v1/live-sessions/live_9/events")))
        #expect(events.2 == ["session": "live_9"])
        #expect(found(Self.router().match(.GET, "/"))?.0 == "root")
    }

    @Test("static segments win over parameters")
    func precedence() {
        #expect(found(Self.router().match(.GET, "/v1/products/search"))?.0 == "search")
        #expect(found(Self.router().match(.GET, "/v1/products/prd_1"))?.0 == "show")
    }

    @Test("unknown paths are 404")
    func notFound() {
        for path in ["/v2/products", "/v1/products/a/b", "/v1/products/", "/v1"] {
            guard case .notFound = Self.router().match(.GET, path) else {
                Issue.record("\(path) matched")
                continue
            }
        }
    }

    @Test("wrong method is 405 with the allowed list")
    func methodNotAllowed() {
        guard case .methodNotAllowed(let allowed) = Self.router().match(.PUT, "/v1/products") else {
            Issue.record("expected 405")
            return
        }
        #expect(allowed == [.GET, .HEAD, .POST])
    }

    @Test("HEAD matches GET routes")
    func headFallsBackToGet() {
        #expect(found(Self.router().match(.HEAD, "/v1/products/prd_1"))?.0 == "show")
    }

    @Test("routes are listed in registration order")
    func routeList() {
        let routes = Self.router().routes
        #expect(routes.count == 7)
        #expect(routes[0].method == .GET && routes[0].pattern == "/v1/products")
        #expect(routes[4].method == .DELETE && routes[4].pattern == "/v1/live-sessions/{id}/pins/{pin_id}")
    }

    @Test("headers are case-insensitive and ordered")
    func headers() {
        var headers = HTTPHeaders()
        headers.add("Set-Cookie", "a")
        headers.add("set-cookie", "b")
        #expect(headers["SET-COOKIE"] == "a")
        #expect(headers.values("Set-Cookie") == ["a", "b"])
        headers.set("Set-Cookie", "c")
        #expect(headers.values("set-cookie") == ["c"])
        headers.remove("SET-cookie")
        #expect(!headers.contains("Set-Cookie"))
    }
}
