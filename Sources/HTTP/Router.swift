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
    struct Node: Sendable {
        var statics: [String: Int] = [:]
        var parameter: Int?
        /// Route indices by method.
        var routes: [HTTPMethod: Int] = [:]
    }

    struct Route: Sendable {
        var method: HTTPMethod
        var pattern: String
        var handler: Handler
        /// Parameter names in path order; names may differ between routes sharing a trie node.
        var parameterNames: [String]
    }

    private var nodes = [Node()]
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
        var node = 0
        var names: [String] = []
        for segment in Self.segments(pattern) {
            if segment.hasPrefix("{"), segment.hasSuffix("}"), segment.count > 2 {
                names.append(String(segment.dropFirst().dropLast()))
                if let next = nodes[node].parameter {
                    node = next
                } else {
                    nodes.append(Node())
                    nodes[node].parameter = nodes.count - 1
                    node = nodes.count - 1
                }
            } else if let next = nodes[node].statics[String(segment)] {
                node = next
            } else {
                nodes.append(Node())
                nodes[node].statics[String(segment)] = nodes.count - 1
                node = nodes.count - 1
            }
        }
        let route = Route(method: method, pattern: pattern, handler: handler, parameterNames: names)
        if let existing = nodes[node].routes[method] {
            table[existing] = route
        } else {
            table.append(route)
            nodes[node].routes[method] = table.count - 1
        }
    }

    /// Finds the route for a request.
    /// - Parameters:
    ///   - method: the request method.
    ///   - path: the decoded path, without query.
    /// - Returns: the handler and parameters, the allowed methods, or `.notFound`.
    public func match(_ method: HTTPMethod, _ path: String) -> RouteMatch<Handler> {
        let segments = Self.segments(path)
        var values: [Substring] = []
        var pathNodes: [Int] = []
        if let (routeIndex, captured) = search(0, segments[...], method, &values, &pathNodes) {
            let route = table[routeIndex]
            var parameters: [String: String] = [:]
            for (name, value) in zip(route.parameterNames, captured) { parameters[name] = String(value) }
            return .found(route.handler, pattern: route.pattern, parameters: parameters)
        }
        guard !pathNodes.isEmpty else { return .notFound }
        var allowed = Set<HTTPMethod>()
        for node in pathNodes { allowed.formUnion(nodes[node].routes.keys) }
        if allowed.contains(.GET) { allowed.insert(.HEAD) }
        return .methodNotAllowed(allowed: allowed.sorted { $0.rawValue < $1.rawValue })
    }

    /// Depth-first search, static child first; records nodes that match the whole path for the 405 answer.
    private func search(
        _ node: Int, _ rest: ArraySlice<Substring>, _ method: HTTPMethod,
        _ values: inout [Substring], _ pathNodes: inout [Int]
    ) -> (Int, [Substring])? {
        guard let segment = rest.first else {
            let routes = nodes[node].routes
            guard !routes.isEmpty else { return nil }
            pathNodes.append(node)
            if let index = routes[method] ?? (method == .HEAD ? routes[.GET] : nil) { return (index, values) }
            return nil
        }
        if let child = nodes[node].statics[String(segment)],
            let found = search(child, rest.dropFirst(), method, &values, &pathNodes)
        {
            return found
        }
        if let child = nodes[node].parameter, !segment.isEmpty {
            values.append(segment)
            if let found = search(child, rest.dropFirst(), method, &values, &pathNodes) { return found }
            values.removeLast()
        }
        return nil
    }

    /// `/a/b` → `["a", "b"]`; `/` → `[]`; a trailing slash keeps an empty last segment, so `/a/` ≠ `/a`.
    static func segments(_ path: String) -> [Substring] {
        var trimmed = Substring(path)
        if trimmed.first == "/" { trimmed.removeFirst() }
        if trimmed.isEmpty { return [] }
        return trimmed.split(separator: "/", omittingEmptySubsequences: false)
    }
}
