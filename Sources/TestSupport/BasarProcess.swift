import Foundation
import Storage
#if canImport(Glibc)
import Glibc
#endif

/// `basar serve` as a child process on a free port, for tests that kill or signal the real executable.
public final class BasarProcess: Sendable {
    public let process: ChildProcess
    public let port: Int
    public let databasePath: String
    public let client: TestHTTPClient

    public var pid: Int32 { process.pid }

    /// Starts the server on `databasePath` and waits until `/healthz` answers (at most three minutes).
    public init(databasePath: String, extraArguments: [String] = []) async throws {
        port = try BasarProcess.freePort()
        self.databasePath = databasePath
        client = TestHTTPClient(port: port)
        process = try ChildProcess(
            BasarBinary.url.path,
            ["serve", "--port", String(port), Database.isPostgresURL(databasePath) ? "--database" : "--db", databasePath,
             // A test run killed before it could stop its servers leaves none behind.
             "--log-level", "error", "--exit-with-parent"] + extraArguments,
            directory: TestServer.repositoryRoot.path
        )
        // Bounded by time, not by tries: under the PostgreSQL pass's load a start with its migrations took over 12 s
        // (the old bound of 600 tries × 20 ms) once in CI, over 60 s once in a local pass whose first minute also
        // ran a killed pass's leftover servers, and well under a second on an idle machine. The bound only decides
        // how late a server that never starts is reported.
        let deadline = Date().addingTimeInterval(180)
        var healthy = false
        while process.isRunning, Date() < deadline {
            if let response = try? await client.send("GET", "/healthz"), response.status == 200 {
                healthy = true
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        guard healthy else {
            kill(SIGKILL)
            throw TestClientError("basar serve did not become healthy on port \(port)")
        }
    }

    /// Sends a signal to the server process.
    public func kill(_ signal: Int32) { process.signal(signal) }

    /// Waits (bounded) for the process to exit and returns its status, or nil if it is still running.
    public func waitForExit(timeoutSeconds: Double = 20) async -> Int32? {
        await process.waitForExit(timeoutSeconds: timeoutSeconds)
    }

    /// A port nobody listens on right now: bind port 0, read it, close.
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw TestClientError("could not find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

