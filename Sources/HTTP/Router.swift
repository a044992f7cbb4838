/// The result of `Router.match(_:_:)`.
public enum RouteMatch<Handler: Sendable>: Sendable {
    /// A route matched; `pattern` is as registered and `parameters` holds the `{name}` segments (percent-decoded,
    /// as the path is).
    case found(Handler, pattern: String, parameters: [String: String])
    /// The path exists for other methods (→ 405 with `Allow`, RFC 9110 §15.5.6).
    case methodNotAllowed(allowed: [HTTPMethod])
    /// No route has this path.
    case notFound
}

/// A segment trie of routes such as `/v1/live-sessions/{id}/pins/{pin_id}`.
///
/// Matching walks one node per path segment and tries a static child before the parameter child, so static
/// segments win (`/v1/products/search` over `/v1/products/{id}`). `HEAD` falls back to `GET` (RFC 9110 §9.3.2).
public struct Router<Handler: Sendable>: Sendable {
    struct Route: Sendable {
        var method: HTTPMethod
        var pattern: String
        var handler: Handler
        /// Parameter names in path order; names may differ between routes sharing a trie node.
        var parameterNames: [String]
    }

    /// The matching itself is not generic (see `RouteTrie`), so it is compiled once, specialized, in this module.
    private var trie = RouteTrie()
    private var table: [Route] = []

    /// Creates an empty router.
    public init() {}

    /// Every route in registration order, e.g. to compare with the OpenAPI document.
    public var routes: [(method: HTTPMethod, pattern: String)] {
        table.map { (method: $0.method, pattern: $0.pattern) }
    }

    /// Registers a route; a later registration of the same method and pattern replaces the earlier one.
    /// - Parameters:
    ///   - method: the method.
    ///   - pattern: a path whose segments are literals or `{name}` parameters.
    ///   - handler: the value returned on a match.
    public mutating func add(_ method: HTTPMethod, _ pattern: String, _ handler: Handler) {
        var names: [String] = []
        for segment in RouteTrie.segments(pattern) where RouteTrie.isParameter(segment) {
            names.append(String(segment.dropFirst().dropLast()))
        }
        let route = Route(method: method, pattern: pattern, handler: handler, parameterNames: names)
        if let existing = trie.add(method, pattern, index: table.count) {
            table[existing] = route
        } else {
            table.append(route)
        }
    }

    /// Finds the route for a request.
    /// - Parameters:
    ///   - method: the request method.
    ///   - path: the decoded path, without query.
    /// - Returns: the handler and parameters, the allowed methods, or `.notFound`.
    public func match(_ method: HTTPMethod, _ path: String) -> RouteMatch<Handler> {
        switch trie.match(method, path) {
        case .found(let index, let values):
            let route = table[index]
            var parameters: [String: String] = [:]
            for (name, value) in zip(route.parameterNames, values) { parameters[name] = value }
            return .found(route.handler, pattern: route.pattern, parameters: parameters)
        case .methodNotAllowed(let allowed):
            return .methodNotAllowed(allowed: allowed)
        case .notFound:
            return .notFound
        }
    }
}
