#if os(Linux)
import Core
import Foundation
import Glibc
import HTTP

/// An HTTP/1.1 server on epoll: `eventLoops` threads, each with its own epoll, serving non-blocking sockets.
///
/// Handlers are `async`; each request runs in a `Task` whose response is handed back to the connection's loop.
/// Connections never get a thread of their own.
public final class HTTPServer: Sendable {
    struct Runtime {
        var loops: [EventLoop] = []
        var port = 0
        var started = false
        var stopped = false
    }

    private let context: ServerContext
    private let runtime = Mutex(Runtime())

    /// - Parameters:
    ///   - configuration: address, limits and timeouts.
    ///   - logger: receives lifecycle (info) and server-generated errors (debug); headers are never logged.
    ///   - handler: answers each complete request.
    public init(
        configuration: ServerConfiguration, logger: Logger,
        handler: @escaping @Sendable (HTTPRequest) async -> HTTPResponse
    ) {
        context = ServerContext(configuration: configuration, logger: logger, handler: handler)
    }

    /// Binds, listens and starts the event loops; returns once the socket is listening.
    /// - Throws: `SystemError` if the address cannot be bound or a loop cannot start.
    public func start() throws {
        let configuration = context.configuration
        let (fd, port) = try Socket.listen(host: configuration.host, port: configuration.port)
        var loops: [EventLoop] = []
        do {
            for index in 0..<max(1, configuration.eventLoops) {
                loops.append(try EventLoop(index: index, context: context))
            }
            // One listener, accepted on loop 0 and handed out round-robin.
            for (index, loop) in loops.enumerated() {
                try loop.start(listenFD: index == 0 ? fd : nil, loops: loops)
            }
        } catch {
            for loop in loops { loop.post(.stop) }
            if loops.isEmpty { close(fd) }
            throw error
        }
        runtime.withLock {
            $0.loops = loops
            $0.port = port
            $0.started = true
        }
        context.logger.info("server listening", ["host": configuration.host, "port": "\(port)",
                                                  "event_loops": "\(loops.count)"])
    }

    /// The bound port (the real one when configured with port 0); 0 before `start()`.
    public var port: Int { runtime.withLock { $0.port } }

    /// Connections currently open.
    public var openConnections: Int { context.counters.withLock { $0.connections } }

    /// Event streams currently open.
    public var openStreams: Int { context.counters.withLock { $0.streams } }

    /// Stops gracefully: stops accepting at once, lets requests whose header section has arrived finish for at
    /// most `shutdownGrace`, closes idle connections and every event stream (running their `onClose`), then
    /// returns when the loop threads have exited.
    public func shutdown() async {
        let loops = runtime.withLock { runtime -> [EventLoop] in
            guard runtime.started, !runtime.stopped else { return [] }
            runtime.stopped = true
            return runtime.loops
        }
        guard let first = loops.first else { return }
        let listenerClosed = Gate()
        first.post(.stopAccepting(listenerClosed))
        await listenerClosed.wait()
        context.beginDraining()
        for loop in loops { loop.post(.drain) }
        // Logged after the drain messages are queued, so anything posted to a loop later is handled as draining.
        context.logger.info("server draining", ["open_connections": "\(openConnections)"])
        let grace = context.configuration.shutdownGrace
        let finished = Gate()
        context.allClosed.onOpen { finished.open() }
        let timer = Task {
            try? await Task.sleep(for: .seconds(grace))
            finished.open()
        }
        await finished.wait()
        timer.cancel()

        let remaining = openConnections
        if remaining > 0 { context.logger.info("shutdown grace expired", ["open_connections": "\(remaining)"]) }
        for loop in loops { loop.post(.stop) }
        for loop in loops { await loop.exited.wait() }
        context.logger.info("server stopped")
    }
}
#endif
