#if canImport(Glibc)
import Glibc
#endif

/// A failed system call, with `errno` and the call's name; never carries buffers or addresses.
public struct SystemError: Error, Sendable, Equatable, CustomStringConvertible {
    public var errno: Int32
    public var call: String

    /// - Parameters:
    ///   - errno: the C `errno` value.
    ///   - call: the name of the failed call, e.g. `bind`.
    public init(errno: Int32, call: String) {
        self.errno = errno
        self.call = call
    }

    public var description: String { "\(call) failed: \(String(cString: strerror(errno))) (errno \(errno))" }
}

/// The outcome of a non-blocking system call.
enum IOResult<T> {
    case done(T)
    case wouldBlock
}

/// Runs a system call the NIO way: retry `EINTR`, map `EAGAIN`/`EWOULDBLOCK` to `.wouldBlock`, throw otherwise.
/// - Parameters:
///   - name: the call's name for the error.
///   - body: the call; a negative result means failure with `errno` set.
/// - Returns: the non-negative result, or `.wouldBlock`.
/// - Throws: `SystemError` for any other failure.
@discardableResult
func syscall<T: FixedWidthInteger>(_ name: String, _ body: () -> T) throws(SystemError) -> IOResult<T> {
    while true {
        let result = body()
        if result >= 0 { return .done(result) }
        let code = Glibc.errno
        switch code {
        case EINTR: continue
        case EAGAIN, EWOULDBLOCK: return .wouldBlock
        default: throw SystemError(errno: code, call: name)
        }
    }
}

/// Like `syscall(_:_:)` for calls that never legitimately block.
/// - Throws: `SystemError`, also for `EAGAIN`.
@discardableResult
func syscallBlocking<T: FixedWidthInteger>(_ name: String, _ body: () -> T) throws(SystemError) -> T {
    switch try syscall(name, body) {
    case .done(let value): return value
    case .wouldBlock: throw SystemError(errno: EAGAIN, call: name)
    }
}

/// A monotonic clock in nanoseconds, for deadlines (never the wall clock, which may jump).
func monotonicNanos() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}
