/// The segment trie behind `Router`, keyed by route index so that matching is plain, non-generic code.
///
/// Matching runs on every request: it walks the path's UTF-8 bytes in place and compares static segments by
/// bytes, so it builds no segment array and no dictionary keys.
struct RouteTrie: Sendable {
    enum Match: Equatable {
        case found(Int, [String])
        case methodNotAllowed([HTTPMethod])
        case notFound
    }

    struct Node: Sendable {
        /// Static children: segment bytes and node index, tried in order (a node has few children).
        var statics: [(segment: [UInt8], node: Int)] = []
        var parameter: Int?
        /// Route indices by method.
        var routes: [(method: HTTPMethod, route: Int)] = []

        func route(for method: HTTPMethod) -> Int? {
            for entry in routes where entry.method == method { return entry.route }
            return nil
        }

        func child(_ segment: UnsafeBufferPointer<UInt8>) -> Int? {
            for entry in statics where entry.segment.count == segment.count {
                if entry.segment.withUnsafeBufferPointer({ $0.elementsEqual(segment) }) { return entry.node }
            }
            return nil
        }
    }

    private var nodes = [Node()]

    /// Registers `pattern` for `method` as route `index`.
    /// - Returns: the index already registered for the same method and pattern (the caller replaces it), or `nil`.
    mutating func add(_ method: HTTPMethod, _ pattern: String, index: Int) -> Int? {
        var node = 0
        for segment in Self.segments(pattern) {
            if Self.isParameter(segment) {
                if let next = nodes[node].parameter {
                    node = next
                } else {
                    nodes.append(Node())
                    nodes[node].parameter = nodes.count - 1
                    node = nodes.count - 1
                }
            } else {
                let bytes = Array(segment.utf8)
                if let next = nodes[node].statics.first(where: { $0.segment == bytes })?.node {
                    node = next
                } else {
                    nodes.append(Node())
                    nodes[node].statics.append((segment: bytes, node: nodes.count - 1))
                    node = nodes.count - 1
                }
            }
        }
        if let existing = nodes[node].route(for: method) { return existing }
        nodes[node].routes.append((method: method, route: index))
        return nil
    }

    func match(_ method: HTTPMethod, _ path: String) -> Match {
        var path = path
        return path.withUTF8 { bytes in
            // "/" and "" have no segments (-1 marks the end); otherwise segments start after the leading "/".
            let first = bytes.count <= 1 && (bytes.isEmpty || bytes[0] == 0x2F) ? -1 : (bytes.first == 0x2F ? 1 : 0)
            var captures: [Range<Int>] = []
            var pathNodes: [Int]?
            if let route = search(0, bytes, first, method, &captures, &pathNodes) {
                let values = captures.map { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self) }
                return .found(route, values)
            }
            // Only a miss pays for collecting the nodes that match the whole path, for the 405 answer.
            var collected: [Int]? = []
            captures = []
            _ = search(0, bytes, first, method, &captures, &collected)
            guard let found = collected, !found.isEmpty else { return .notFound }
            var allowed = Set<HTTPMethod>()
            for node in found { allowed.formUnion(nodes[node].routes.map(\.method)) }
            if allowed.contains(.GET) { allowed.insert(.HEAD) }
            return .methodNotAllowed(allowed.sorted { $0.rawValue < $1.rawValue })
        }
    }

    /// Depth-first search from the segment at `position` (-1: the path is used up), static child first.
    private func search(
        _ node: Int, _ bytes: UnsafeBufferPointer<UInt8>, _ position: Int, _ method: HTTPMethod,
        _ captures: inout [Range<Int>], _ pathNodes: inout [Int]?
    ) -> Int? {
        guard position >= 0 else {
            let here = nodes[node]
            guard !here.routes.isEmpty else { return nil }
            if pathNodes != nil {
                pathNodes?.append(node)
                return nil
            }
            return here.route(for: method) ?? (method == .HEAD ? here.route(for: .GET) : nil)
        }
        var end = position
        while end < bytes.count, bytes[end] != 0x2F { end += 1 }
        let next = end < bytes.count ? end + 1 : -1
        if let child = nodes[node].child(UnsafeBufferPointer(rebasing: bytes[position..<end])),
            let found = search(child, bytes, next, method, &captures, &pathNodes)
        {
            return found
        }
        if let child = nodes[node].parameter, end > position {
            captures.append(position..<end)
            if let found = search(child, bytes, next, method, &captures, &pathNodes) { return found }
            captures.removeLast()
        }
        return nil
    }

    static func isParameter(_ segment: Substring) -> Bool {
        segment.hasPrefix("{") && segment.hasSuffix("}") && segment.count > 2
    }

    /// `/a/b` → `["a", "b"]`; `/` → `[]`; a trailing slash keeps an empty last segment, so `/a/` ≠ `/a`.
    static func segments(_ path: String) -> [Substring] {
        var trimmed = Substring(path)
        if trimmed.first == "/" { trimmed.removeFirst() }
        if trimmed.isEmpty { return [] }
        return trimmed.split(separator: "/", omittingEmptySubsequences: false)
    }
}
