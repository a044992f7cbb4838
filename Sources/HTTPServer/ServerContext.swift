import Core
import HTTP

/// A one-shot signal: callbacks registered before or after `open()` run exactly once.
final class Gate: Sendable {
    private let state = Mutex<(isOpen: Bool, callbacks: [@Sendable () -> Void])>((false, []))

    func open() {
        let callbacks = state.withLock { state -> [@Sendable () -> Void] in
            guard !state.isOpen else { return [] }
            state.isOpen = true
            defer { state.callbacks = [] }
            return state.callbacks
        }
        for callback in callbacks { callback() }
    }

    func onOpen(_ callback: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state -> Bool in
            if state.isOpen { return true }
            state.callbacks.append(callback)
            return false
        }
        if runNow { callback() }
    }

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            onOpen { continuation.resume() }
        }
    }
}

/// State shared by the server and all its loops.
final class ServerContext: Sendable {
    struct Counters {
        var connections = 0
        var streams = 0
        var draining = false
    }

    let configuration: ServerConfiguration
    let logger: Logger
    let handler: @Sendable (HTTPRequest) async -> HTTPResponse
    let counters = Mutex(Counters())
    /// Opens when draining and the last connection closed.
    let allClosed = Gate()

    init(configuration: ServerConfiguration, logger: Logger, handler: @escaping @Sendable (HTTPRequest) async -> HTTPResponse) {
        self.configuration = configuration
        self.logger = logger
        self.handler = handler
    }

    var machineSettings: ConnectionStateMachine.Settings {
        ConnectionStateMachine.Settings(
            limits: configuration.limits, bodyLimit: configuration.bodyLimit,
            maxPipelined: max(1, configuration.maxPipelined),
            headerTimeout: UInt64(configuration.headerTimeout * 1e9), idleTimeout: UInt64(configuration.idleTimeout * 1e9)
        )
    }

    /// Reserves a connection slot.
    /// - Returns: `false` when `maxConnections` are open or the server is draining.
    func openConnection() -> Bool {
        counters.withLock { counters in
            guard !counters.draining, counters.connections < configuration.maxConnections else { return false }
            counters.connections += 1
            return true
        }
    }

    func closeConnection(wasStream: Bool) {
        let allGone = counters.withLock { counters -> Bool in
            counters.connections -= 1
            if wasStream { counters.streams -= 1 }
            return counters.draining && counters.connections == 0
        }
        if allGone { allClosed.open() }
    }

    /// Marks the server draining; opens `allClosed` at once if nothing is open.
    func beginDraining() {
        let none = counters.withLock { counters -> Bool in
            counters.draining = true
            return counters.connections == 0
        }
        if none { allClosed.open() }
    }
}
