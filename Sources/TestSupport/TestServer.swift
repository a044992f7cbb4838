import API
import Accounts
import App
import Core
import Foundation
import Storage

/// A real Basar server on 127.0.0.1 with a free port and a fresh temp-file database, in this process.
public final class TestServer: TestApp {
    public let app: BasarApp
    public let client: TestHTTPClient
    public let databasePath: String
    public let clock: any WallClock

    public var port: Int { app.port }

    /// The repository root, found from this file so tests run from any working directory.
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Starts a server.
    /// - Parameters:
    ///   - clock: inject a `ManualClock` to move time.
    ///   - databasePath: reuse a database (restart tests); a new temp file by default.
    ///   - demo: load `Fixtures/` as `basar serve --demo` does.
    ///   - contentDirectory: another `Content/` folder (test games); the repository's by default.
    ///   - testClock: run as `basar serve --test-clock` (then `clock` is not used).
    public init(
        clock: any WallClock = SystemClock(), databasePath: String? = nil, demo: Bool = false,
        contentDirectory: URL? = nil, testClock: Bool = false
    ) async throws {
        let path = databasePath ?? TestServer.temporaryDatabasePath()
        var configuration = TestServer.configuration(
            databasePath: path, demo: demo, contentDirectory: contentDirectory, testClock: testClock
        )
        configuration.port = 0
        app = try await BasarApp(configuration, clock: clock)
        do {
            try app.start()
        } catch {
            await app.shutdown()
            throw error
        }
        client = TestHTTPClient(port: app.port)
        self.databasePath = path
        self.clock = clock
    }

    /// Shuts the server down and removes its database.
    public func stop() async { await stop(removeDatabase: true) }

    /// Shuts the server down; pass `removeDatabase: false` to restart on the same file.
    public func stop(removeDatabase: Bool) async {
        await app.shutdown()
        if removeDatabase { TestServer.removeDatabase(at: databasePath) }
    }

    /// The configuration both test apps share: a quiet log, the repository's `Content/` and `Fixtures/`.
    static func configuration(
        databasePath: String, demo: Bool, contentDirectory: URL?, testClock: Bool
    ) -> AppConfiguration {
        var configuration = AppConfiguration()
        configuration.databasePath = databasePath
        configuration.contentDirectory = contentDirectory ?? repositoryRoot.appendingPathComponent("Content")
        configuration.fixturesDirectory = repositoryRoot.appendingPathComponent("Fixtures")
        configuration.logLevel = .error
        configuration.demo = demo
        configuration.testClock = testClock
        // The route table, the OpenAPI and the security-header tests cover the load-test routes too.
        configuration.benchRoutes = true
        return configuration
    }

    /// A new SQLite file, or a new PostgreSQL schema when `BASAR_TEST_DATABASE_URL` is set (`.ci/run`'s second run).
    public static func temporaryDatabasePath() -> String { Database.temporaryPath() }

    public static func removeDatabase(at path: String) { Database.destroy(at: path) }

    // MARK: - Shortcuts

    public func send(
        _ method: String, _ path: String, json: JSON? = nil, token: String? = nil, headers: [(String, String)] = []
    ) async throws -> TestResponse {
        try await client.send(method, path, json: json, token: token, headers: headers)
    }
}

/// The `basar` executable built beside the test bundle, for CLI and crash tests.
public enum BasarBinary {
    public static var url: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("basar")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return TestServer.repositoryRoot.appendingPathComponent(".build/debug/basar")
    }

    /// Runs `basar` to completion on a thread of its own, so waiting never blocks the threads servers need.
    public static func execute(
        _ arguments: [String], timeoutSeconds: Double = 60
    ) async throws -> (code: Int32, stdout: String, stderr: String) {
        try await BlockingThread.run { try run(arguments, timeoutSeconds: timeoutSeconds) }
    }

    /// Runs `basar` with arguments to completion and returns its exit code and output; blocks the calling thread.
    ///
    /// Output goes through temp files, not pipes, so a chatty child can never block on a full pipe.
    public static func run(_ arguments: [String], timeoutSeconds: Double = 60) throws -> (code: Int32, stdout: String, stderr: String) {
        let directory = FileManager.default.temporaryDirectory
        let outURL = directory.appendingPathComponent("basar-out-\(UUID().uuidString)")
        let errURL = directory.appendingPathComponent("basar-err-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let process = try ChildProcess(
            url.path, arguments, directory: TestServer.repositoryRoot.path, stdout: outURL.path, stderr: errURL.path
        )
        let code = process.waitBlocking(timeoutSeconds: timeoutSeconds)
        let stdout = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        return (code, stdout, stderr)
    }
}
