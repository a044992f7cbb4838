import CLinux
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn`, for tests that run, signal or kill the `basar` executable.
///
/// Foundation's `Process.run()` crashed inside its own argument copying when the busy test process launched
/// children, so tests spawn directly: a few system calls with nothing hidden.
public final class ChildProcess: @unchecked Sendable {
    // Invariant: `exitStatus` is only touched while holding `lock`.
    public let pid: pid_t
    private let lock = NSLock()
    private var exitStatus: Int32?

    /// Starts `executable` with `arguments` in `directory`, sending its output to the given files (or /dev/null).
    public init(
        _ executable: String, _ arguments: [String], directory: String, stdout: String? = nil, stderr: String? = nil
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addchdir_np(&actions, directory)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, nil, argv, environ)
        guard result == 0 else { throw TestClientError("posix_spawn \(executable) failed: \(result)") }
        pid = child
    }

    /// Whether the child still runs; reaps it once it has exited.
    public var isRunning: Bool {
        lock.withLock {
            if exitStatus != nil { return false }
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid {
                // WIFEXITED: the low 7 bits are 0 and the exit code sits in the next byte; otherwise a signal.
                exitStatus = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
                return false
            }
            return reaped == 0
        }
    }

    /// The exit code (128 + signal for a child killed by a signal), once it has exited.
    public var terminationStatus: Int32? {
        _ = isRunning
        return lock.withLock { exitStatus }
    }

    public func signal(_ number: Int32) {
        if isRunning { _ = kill(pid, number) }
    }

    /// Blocks the calling thread until the child exits or `timeoutSeconds` pass; kills it on timeout.
    @discardableResult
    public func waitBlocking(timeoutSeconds: Double) -> Int32 {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while isRunning, Date() < deadline { usleep(5_000) }
        if isRunning {
            signal(SIGKILL)
            while isRunning { usleep(1_000) }
        }
        return terminationStatus ?? -1
    }

    /// Waits without blocking a thread, bounded; returns the exit code or nil if it still runs.
    public func waitForExit(timeoutSeconds: Double = 20) async -> Int32? {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while isRunning, Date() < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        return terminationStatus
    }
}
