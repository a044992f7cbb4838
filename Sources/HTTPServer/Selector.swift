#if os(Linux)
import Glibc

/// Readiness interest for a registered descriptor.
struct Interest: OptionSet, Sendable {
    let rawValue: UInt32
    static let read = Interest(rawValue: LinuxCalls.EPOLLIN)
    static let write = Interest(rawValue: LinuxCalls.EPOLLOUT)
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
    /// Raw `epoll_event` array (see `LinuxCalls.eventSize`).
    private var events: UnsafeMutableRawBufferPointer
    private var capacity: Int

    /// - Throws: `SystemError` if epoll cannot be created.
    init(capacity: Int = 256) throws(SystemError) {
        epollFD = try syscallBlocking("epoll_create1") { LinuxCalls.epollCreate1(LinuxCalls.EPOLL_CLOEXEC) }
        self.capacity = capacity
        events = .allocate(byteCount: capacity * LinuxCalls.eventSize, alignment: 8)
    }

    deinit {
        events.deallocate()
        close(epollFD)
    }

    /// Registers `fd`; `id` comes back in each `ReadyEvent`.
    func register(_ fd: Int32, id: UInt64, interest: Interest) throws(SystemError) {
        try control(LinuxCalls.EPOLL_CTL_ADD, fd, id: id, interest: interest)
    }

    /// Changes the interest of a registered descriptor.
    func reregister(_ fd: Int32, id: UInt64, interest: Interest) throws(SystemError) {
        try control(LinuxCalls.EPOLL_CTL_MOD, fd, id: id, interest: interest)
    }

    /// Removes `fd`; call before closing it.
    func deregister(_ fd: Int32) {
        var event = (UInt64(0), UInt64(0))
        _ = withUnsafeMutableBytes(of: &event) { LinuxCalls.epollCtl(epollFD, LinuxCalls.EPOLL_CTL_DEL, fd, $0.baseAddress) }
    }

    private func control(_ op: Int32, _ fd: Int32, id: UInt64, interest: Interest) throws(SystemError) {
        // EPOLLRDHUP (a peer's half-close) only with read interest: it is level-triggered, so reporting it while
        // reading is paused for backpressure would spin the loop.
        let flags = interest.rawValue | (interest.contains(.read) ? LinuxCalls.EPOLLRDHUP : 0)
        var event = (UInt64(0), UInt64(0))
        try withUnsafeMutableBytes(of: &event) { (raw) throws(SystemError) in
            raw.storeBytes(of: flags, toByteOffset: 0, as: UInt32.self)
            raw.storeBytes(of: id, toByteOffset: LinuxCalls.dataOffset, as: UInt64.self)
            try syscallBlocking("epoll_ctl") { LinuxCalls.epollCtl(epollFD, op, fd, raw.baseAddress) }
        }
    }

    /// Waits up to `timeoutMillis` for readiness.
    /// - Returns: the ready registrations (empty on timeout).
    func wait(timeoutMillis: Int32) throws(SystemError) -> [ReadyEvent] {
        let buffer = events
        let max = Int32(capacity)
        let count: Int32
        switch try syscall("epoll_wait", { LinuxCalls.epollWait(epollFD, buffer.baseAddress, max, timeoutMillis) }) {
        case .done(let n): count = n
        case .wouldBlock: count = 0
        }
        var ready: [ReadyEvent] = []
        ready.reserveCapacity(Int(count))
        for index in 0..<Int(count) {
            let base = index * LinuxCalls.eventSize
            let flags = buffer.loadUnaligned(fromByteOffset: base, as: UInt32.self)
            let id = buffer.loadUnaligned(fromByteOffset: base + LinuxCalls.dataOffset, as: UInt64.self)
            ready.append(ReadyEvent(
                id: id,
                readable: flags & (LinuxCalls.EPOLLIN | LinuxCalls.EPOLLRDHUP) != 0,
                writable: flags & LinuxCalls.EPOLLOUT != 0,
                hangup: flags & (LinuxCalls.EPOLLHUP | LinuxCalls.EPOLLERR) != 0
            ))
        }
        if Int(count) == capacity {
            // A full batch suggests many ready descriptors; grow so one wait can report them all.
            events.deallocate()
            capacity *= 2
            events = .allocate(byteCount: capacity * LinuxCalls.eventSize, alignment: 8)
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
        fd = try syscallBlocking("eventfd") { LinuxCalls.eventFD(0, LinuxCalls.EFD_CLOEXEC | LinuxCalls.EFD_NONBLOCK) }
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
