import Core
import Coupons
import Foundation
import Storage
import TestSupport

/// Helpers shared by the games tests: temp content folders, campaigns by key, dates.
enum GamesSupport {
    /// A temp `Content/` folder whose `games/` holds `files` (name → JSON text).
    static func content(_ files: [String: String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("basar-games-\(UUID().uuidString)")
        let games = root.appendingPathComponent("games")
        try FileManager.default.createDirectory(at: games, withIntermediateDirectories: true)
        for (name, text) in files {
            try Data(text.utf8).write(to: games.appendingPathComponent(name))
        }
        return root
    }

    static func remove(_ url: URL) { try? FileManager.default.removeItem(at: url) }

    /// A draw game file with the given prizes `(label, weight, campaign key or nil)`.
    static func drawGame(
        id: String, kind: String = "wheel", dailyLimit: Int = 1000, prizes: [(String, Int, String?)]
    ) -> String {
        let items = prizes.map { label, weight, key in
            "{\"label\": \"\(label)\", \"weight\": \(weight), \"campaign_key\": \(key.map { "\"\($0)\"" } ?? "null")}"
        }
        return """
            {"id": "\(id)", "kind": "\(kind)", "title": "Test \(id)", "description": "A test game.",
             "daily_limit": \(dailyLimit), "prizes": [\(items.joined(separator: ", "))]}
            """
    }

    /// Creates an active campaign with `key` directly in the database, valid from 1970 to 2100.
    @discardableResult
    static func campaign(
        _ key: String, maxCoupons: Int64 = 1000, perAccountLimit: Int64 = 100, on server: some TestApp
    ) async throws -> String {
        let id = IDGenerator.random.next("cmp")
        let campaign = Campaign(
            id: id, key: key, name: "Campaign \(key)", discount: .percent(10), minSpendCents: 0, maxDiscountCents: nil,
            validFrom: 0, validUntil: 4_102_444_800, maxCoupons: maxCoupons, perAccountLimit: perAccountLimit,
            status: .active, createdAt: 0
        )
        try await server.database.write { db in try CouponEngine.insert(campaign, in: db) }
        return id
    }

    /// An instant given in UTC, e.g. `utc("2026-03-29T21:59:59Z")`.
    static func utc(_ text: String) -> Date {
        guard let date = Timestamp.parse(text) else { preconditionFailure("bad test timestamp \(text)") }
        return date
    }

    static func count(_ sql: String, _ arguments: String..., on server: some TestApp) async throws -> Int64 {
        let values = arguments
        return try await server.database.read { db in
            guard case let .integer(count)? = try db.query(sql, arguments: values.map { $0 as (any SQLBindable)? }).first?[0]
            else { return 0 }
            return count
        }
    }
}

/// Runs the `basar` executable on its own thread, so waiting for it never blocks Swift's cooperative pool (which
/// the in-process test servers of parallel tests need).
func runBasar(_ arguments: [String]) async throws -> (code: Int32, stdout: String, stderr: String) {
    try await BasarBinary.execute(arguments)
}

/// Fires requests at once from dedicated threads, not from Dispatch's pool: blocked test sockets there can starve
/// the server's own Dispatch queues on a 2-core machine and turn a race into a 30-second stall.
enum ParallelClient {
    static func post(_ path: String, port: Int, token: String) -> [UInt8] {
        let head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
            + "Authorization: Bearer \(token)\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
        return Array(head.utf8)
    }

    static func send(_ requests: [[UInt8]], port: Int) async throws -> [TestResponse] {
        final class Box: @unchecked Sendable {
            // Invariant: every field is touched only while holding `lock`.
            let lock = NSLock()
            var results: [Int: Result<TestResponse, any Error>] = [:]
            var continuation: CheckedContinuation<Void, Never>?
        }
        let box = Box()
        let start = DispatchSemaphore(value: 0)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            box.lock.withLock { box.continuation = continuation }
            let count = requests.count
            for (index, bytes) in requests.enumerated() {
                let thread = Thread {
                    start.wait()
                    let result = Result {
                        let fd = try RawSocket.connect(port: port)
                        defer { close(fd) }
                        try RawSocket.sendAll(fd, bytes)
                        return try TestResponse.parse(try RawSocket.readAll(fd))
                    }
                    let done = box.lock.withLock { () -> CheckedContinuation<Void, Never>? in
                        box.results[index] = result
                        return box.results.count == count ? box.continuation : nil
                    }
                    done?.resume()
                }
                thread.start()
            }
            for _ in requests { start.signal() }
        }
        return try (0..<requests.count).map { index in try box.lock.withLock { box.results[index]! }.get() }
    }
}
