#if os(Linux)
import CLinux
import Glibc

/// Thin socket helpers over `syscall`; every descriptor is non-blocking and close-on-exec.
enum Socket {
    static let nonBlockingCloseOnExec = Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)

    /// Creates a listening IPv4 socket with `SO_REUSEADDR`.
    /// - Returns: the descriptor and the bound port (useful with port 0).
    static func listen(host: String, port: Int, backlog: Int32 = 1024) throws(SystemError) -> (fd: Int32, port: Int) {
        let fd = try syscallBlocking("socket") {
            socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Socket.nonBlockingCloseOnExec, 0)
        }
        var succeeded = false
        defer { if !succeeded { close(fd) } }
        do {
            var one: Int32 = 1
            try syscallBlocking("setsockopt") {
                setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &address.sin_addr) == 1 else {
                throw SystemError(errno: EINVAL, call: "inet_pton")
            }
            try syscallBlocking("bind") {
                withUnsafePointer(to: &address) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                        bind(fd, raw, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
            }
            try syscallBlocking("listen") { Glibc.listen(fd, backlog) }
            var bound = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            try syscallBlocking("getsockname") {
                withUnsafeMutablePointer(to: &bound) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in getsockname(fd, raw, &length) }
                }
            }
            succeeded = true
            return (fd, Int(UInt16(bigEndian: bound.sin_port)))
        }
    }

    /// Accepts one connection, non-blocking, with `TCP_NODELAY` (responses are written whole, so Nagle only adds
    /// latency).
    /// - Returns: the descriptor and the peer as `a.b.c.d:port`, or `nil` when the queue is empty.
    static func accept(_ listenFD: Int32) throws(SystemError) -> (fd: Int32, peer: String)? {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = try syscall("accept4") {
            withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                    accept4(listenFD, raw, &length, Socket.nonBlockingCloseOnExec)
                }
            }
        }
        guard case .done(let fd) = result else { return nil }
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
        inet_ntop(AF_INET, &address.sin_addr, &text, socklen_t(text.count))
        let host = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return (fd, "\(host):\(UInt16(bigEndian: address.sin_port))")
    }

    /// Reads into `buffer`.
    /// - Returns: the byte count (0 at end of stream) or `nil` when nothing is available.
    static func read(_ fd: Int32, into buffer: inout [UInt8]) throws(SystemError) -> Int? {
        let result = try syscall("read") {
            buffer.withUnsafeMutableBytes { raw in Glibc.read(fd, raw.baseAddress, raw.count) }
        }
        guard case .done(let count) = result else { return nil }
        return count
    }

    /// Writes as much of `bytes[offset...]` as the socket takes; `MSG_NOSIGNAL` so a gone peer is an error,
    /// never SIGPIPE.
    /// - Returns: bytes written, 0 when the socket buffer is full.
    static func write(_ fd: Int32, _ bytes: [UInt8], from offset: Int) throws(SystemError) -> Int {
        let result = try syscall("send") {
            bytes.withUnsafeBytes { raw in send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL)) }
        }
        guard case .done(let count) = result else { return 0 }
        return count
    }
}
#endif
