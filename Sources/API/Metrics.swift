import Core
import Foundation

/// Prometheus counters for `/metrics` (API.md §10); cheap enough to update on every request.
public final class Metrics: Sendable {
    static let bounds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

    /// A struct key, not an interpolated string: no allocation per request (callgrind: 4% of a plaintext request).
    private struct RouteStatus: Hashable {
        let route: String
        let status: Int
    }

    private struct State {
        var requests: [RouteStatus: Int] = [:]
        var buckets = [Int](repeating: 0, count: Metrics.bounds.count)
        var count = 0
        var sum = 0.0
    }

    private let state = Mutex(State())
    /// Gauges the server and live module report, read when `/metrics` is scraped.
    private let gauges = Mutex<[String: @Sendable () -> Int]>([:])

    public init() {}

    func record(route: String, status: Int, seconds: Double) {
        state.withLock { s in
            s.requests[RouteStatus(route: route, status: status), default: 0] += 1
            s.count += 1
            s.sum += seconds
            if let i = Metrics.bounds.firstIndex(where: { seconds <= $0 }) { s.buckets[i] += 1 }
        }
    }

    /// Registers a gauge such as `basar_open_connections`.
    public func gauge(_ name: String, _ read: @escaping @Sendable () -> Int) {
        gauges.withLock { $0[name] = read }
    }

    /// The Prometheus text exposition format.
    public func render() -> String {
        let s = state.withLock { $0 }
        var out = "# TYPE basar_http_requests_total counter\n"
        let ordered = s.requests.sorted { a, b in
            a.key.route != b.key.route ? a.key.route < b.key.route : a.key.status < b.key.status
        }
        for (key, value) in ordered {
            out += "basar_http_requests_total{route=\"\(key.route)\",status=\"\(key.status)\"} \(value)\n"
        }
        out += "# TYPE basar_http_request_duration_seconds histogram\n"
        var cumulative = 0
        for (i, bound) in Metrics.bounds.enumerated() {
            cumulative += s.buckets[i]
            out += "basar_http_request_duration_seconds_bucket{le=\"\(bound)\"} \(cumulative)\n"
        }
        out += "basar_http_request_duration_seconds_bucket{le=\"+Inf\"} \(s.count)\n"
        out += "basar_http_request_duration_seconds_sum \(s.sum)\n"
        out += "basar_http_request_duration_seconds_count \(s.count)\n"
        for (name, read) in gauges.withLock({ $0 }).sorted(by: { $0.key < $1.key }) {
            out += "# TYPE \(name) gauge\n\(name) \(read())\n"
        }
        return out
    }
}
