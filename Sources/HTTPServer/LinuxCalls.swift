#if os(Linux)
import Glibc

/// The Linux-only calls that Swift's Glibc module map does not export (`sys/epoll.h`, `sys/eventfd.h`, `accept4`
/// behind `_GNU_SOURCE`). NIO ships a C shim target for these; we may not add targets, so they are resolved once
/// with `dlsym` as `@convention(c)` pointers, which keeps the C calling convention exact.
enum LinuxCalls {
    typealias EpollCreate1 = @convention(c) (Int32) -> Int32
    typealias EpollCtl = @convention(c) (Int32, Int32, Int32, UnsafeMutableRawPointer?) -> Int32
    typealias EpollWait = @convention(c) (Int32, UnsafeMutableRawPointer?, Int32, Int32) -> Int32
    typealias EventFD = @convention(c) (UInt32, Int32) -> Int32
    typealias Accept4 = @convention(c) (Int32, UnsafeMutablePointer<sockaddr>?, UnsafeMutablePointer<socklen_t>?, Int32)
        -> Int32

    static let epollCreate1 = resolve("epoll_create1", as: EpollCreate1.self)
    static let epollCtl = resolve("epoll_ctl", as: EpollCtl.self)
    static let epollWait = resolve("epoll_wait", as: EpollWait.self)
    static let eventFD = resolve("eventfd", as: EventFD.self)
    static let accept4 = resolve("accept4", as: Accept4.self)

    // Values from the Linux UAPI headers; identical on x86_64 and aarch64.
    static let EPOLLIN: UInt32 = 0x001
    static let EPOLLOUT: UInt32 = 0x004
    static let EPOLLERR: UInt32 = 0x008
    static let EPOLLHUP: UInt32 = 0x010
    static let EPOLLRDHUP: UInt32 = 0x2000
    static let EPOLL_CLOEXEC: Int32 = 0o2000000
    static let EPOLL_CTL_ADD: Int32 = 1
    static let EPOLL_CTL_DEL: Int32 = 2
    static let EPOLL_CTL_MOD: Int32 = 3
    static let EFD_CLOEXEC: Int32 = 0o2000000
    static let EFD_NONBLOCK: Int32 = 0o4000
    static let SOCK_NONBLOCK: Int32 = 0o4000
    static let SOCK_CLOEXEC: Int32 = 0o2000000

    /// `struct epoll_event` is packed on x86_64 (12 bytes) and naturally aligned elsewhere (16 bytes).
    #if arch(x86_64)
    static let eventSize = 12
    static let dataOffset = 4
    #else
    static let eventSize = 16
    static let dataOffset = 8
    #endif

    private static func resolve<F>(_ name: String, as type: F.Type) -> F {
        guard let symbol = dlsym(nil, name) else { fatalError("libc lacks \(name)") }
        return unsafeBitCast(symbol, to: type)
    }
}
#endif
