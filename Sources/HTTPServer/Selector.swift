#if os(Linux)
import CLinux
import Glibc

/// Readiness interest for a registered descriptor.
struct Interest: OptionSet, Sendable {
    let rawValue: UInt32
    static let read = Interest(rawValue: EPOLLIN.rawValue)
    static let write = Interest(rawValue: EPOLLOUT.rawValue)
}

/// One readiness notification: the registration's id and what happened.
struct ReadyEvent {
    var id: UInt64
    var readable: Bool
    var writable: Bool
    /// Error or hang-up; the owner should read to find out, then close.
    var hangup: Bool
}

/// A level-triggered epoll instance (the role of NIO's `SelectorEpoll`). Owned by one event loop thread; only
/// `Waker` may be used from other threads.
final class Selector {
    private let epollFD: Int32
    /// The `epoll_event` array `epoll_wait` fills; the C type keeps its layout (packed on x86_64).
    private var events: UnsafeMutableBufferPointer<epoll_event>
    /// Reused between waits: the caller drops its copy before the next wait, so no allocation per wake-up.
    private var ready: [ReadyEvent] = []

    /// - Throws: `SystemError` if epoll cannot be created.
    init(capacity: Int = 256) throws(SystemError) {
        epollFD = try syscallBlocking("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        events = .allocate(capacity: capacity)
    }

    deinit {
        events.deallocate()
        close(epollFD)
    }

    /// Registers `fd`; `id` comes back in each `ReadyEvent`.
    func register(_ fd: Int32, id: UInt64, interest: Interest) throws(SystemError) {
        try control(EPOLL_CTL_ADD, fd, id: id, interest: interest)
    }

    /// Changes the interest of a registered descriptor.
    func reregister(_ fd: Int32, id: UInt64, interest: Interest) throws(SystemError) {
        try control(EPOLL_CTL_MOD, fd, id: id, interest: interest)
    }

    /// Removes `fd`; call before closing it.
    func deregister(_ fd: Int32) {
        var event = epoll_event()
        _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, &event)
    }

    private func control(_ op: Int32, _ fd: Int32, id: UInt64, interest: Interest) throws(SystemError) {
        // EPOLLRDHUP (a peer's half-close) only with read interest: it is level-triggered, so reporting it while
        // reading is paused for backpressure would spin the loop.
        var event = epoll_event()
        event.events = interest.rawValue | (interest.contains(.read) ? EPOLLRDHUP.rawValue : 0)
        event.data.u64 = id
        try syscallBlocking("epoll_ctl") { epoll_ctl(epollFD, op, fd, &event) }
    }

    /// Waits up to `timeoutMillis` for readiness.
    /// - Returns: the ready registrations (empty on timeout).
    func wait(timeoutMillis: Int32) throws(SystemError) -> [ReadyEvent] {
        let buffer = events
        let count: Int32
        switch try syscall("epoll_wait", { epoll_wait(epollFD, buffer.baseAddress, Int32(buffer.count), timeoutMillis) }) {
        case .done(let n): count = n
        case .wouldBlock: count = 0
        }
        ready.removeAll(keepingCapacity: true)
        for index in 0..<Int(count) {
            let flags = buffer[index].events
            ready.append(ReadyEvent(
                id: buffer[index].data.u64,
                readable: flags & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue) != 0,
                writable: flags & EPOLLOUT.rawValue != 0,
                hangup: flags & (EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0
            ))
        }
        if Int(count) == buffer.count {
            // A full batch suggests many ready descriptors; grow so one wait can report them all.
            events.deallocate()
            events = .allocate(capacity: buffer.count * 2)
        }
        return ready
    }
}

@available(*, unavailable) extension Selector: Sendable {}

/// An eventfd that lets other threads wake an event loop blocked in `epoll_wait`.
final class Waker: @unchecked Sendable {
    // Invariant: `fd` is immutable and stays open until deinit; eventfd reads and writes are atomic in the kernel,
    // so any thread may call `wake()`.
    let fd: Int32

    init() throws(SystemError) {
        fd = try syscallBlocking("eventfd") { eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK)) }
    }

    deinit { close(fd) }

    /// Makes the eventfd readable; non-blocking, a full counter just means a wake-up is already pending.
    func wake() {
        var one: UInt64 = 1
        _ = try? syscall("write") { write(fd, &one, 8) }
    }

    /// Resets the counter; called by the loop thread after a wake-up.
    func drain() {
        var value: UInt64 = 0
        _ = try? syscall("read") { read(fd, &value, 8) }
    }
}
#endif
