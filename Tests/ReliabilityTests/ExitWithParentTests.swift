import Foundation
import Storage
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `basar serve --exit-with-parent`: a test run killed before it could stop its servers leaves none behind.
@Suite("A server that outlives the process that started it")
struct ExitWithParentTests {
    @Test("its parent gone, the server stops on its own, gracefully")
    func stopsWithParent() async throws {
        await ServerGate.shared.acquire()
        let path = TestServer.temporaryDatabasePath()
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("exit-with-parent-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let (pidFile, go) = (work.appendingPathComponent("pid").path, work.appendingPathComponent("go").path)
        var serverPID: pid_t = 0
        var shell: ChildProcess?
        do {
            let port = try BasarProcess.freePort()
            let flag = Database.isPostgresURL(path) ? "--database" : "--db"
            // The shell is the server's parent; it exits once the test has seen the server healthy.
            let script = """
                "$0" serve --port \(port) \(flag) "$1" --log-level error --exit-with-parent & echo $! > "$2"
                while [ ! -e "$3" ]; do sleep 0.05; done
                """
            let parent = try ChildProcess(
                "/bin/sh", ["-c", script, BasarBinary.url.path, path, pidFile, go], directory: TestServer.repositoryRoot.path
            )
            shell = parent
            let client = TestHTTPClient(port: port)
            try await waitUntil("the server answers", attempts: 9_000) {
                if let pid = Self.pid(in: pidFile), !Self.isRunning(pid) { throw TestClientError("basar serve exited at start") }
                return (try? await client.send("GET", "/healthz"))?.status == 200
            }
            serverPID = try #require(Self.pid(in: pidFile))
            #expect(Self.isRunning(serverPID), "running while its parent runs")
            FileManager.default.createFile(atPath: go, contents: nil)
            #expect(await parent.waitForExit() == 0)
            try await waitUntil("the server is gone", attempts: 1_000) { !Self.isRunning(serverPID) }
            #expect((try? await client.send("GET", "/healthz")) == nil, "nobody listens any more")
            if !Database.isPostgresURL(path) {
                #expect(!FileManager.default.fileExists(atPath: path + "-wal"), "a graceful stop: the WAL is folded in")
            }
        } catch {
            Issue.record(error)
        }
        shell?.signal(SIGKILL)
        if serverPID > 0 { kill(serverPID, SIGKILL) }
        try? FileManager.default.removeItem(at: work)
        TestServer.removeDatabase(at: path)
        await ServerGate.shared.release()
    }

    /// Whether `pid` runs: an exited process whose new parent has not reaped it yet is a zombie (state Z), not running.
    static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let end = stat.lastIndex(of: ")")
        else { return false }
        return stat[stat.index(after: end)...].split(separator: " ").first != "Z"
    }

    static func pid(in file: String) -> pid_t? {
        (try? String(contentsOfFile: file, encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}
