#if os(Linux)
import Core
import Foundation
import Glibc
import HTTP

/// A message from another thread to an event loop.
enum LoopMessage: Sendable {
    case adopt(fd: Int32, peer: String)
    case response(connection: UInt64, HTTPResponse)
    case streamReady(connection: UInt64)
    case stopAccepting(Gate)
    case drain
    case stop
}

/// The thread-safe face of one event loop: a lock-protected inbox plus an eventfd to wake it.
final class EventLoop: Sendable {
    let index: Int
    let waker: Waker
    let context: ServerContext
    /// Opens when the loop thread has exited and closed its descriptors.
    let exited = Gate()
    private let inbox = Mutex<[LoopMessage]>([])

    init(index: Int, context: ServerContext) throws(SystemError) {
        self.index = index
        self.context = context
        waker = try Waker()
    }

    /// Queues `message` and wakes the loop; the eventfd is written only when the inbox was empty, because the
    /// loop drains the whole inbox after each wake-up.
    func post(_ message: LoopMessage) {
        let wasEmpty = inbox.withLock { inbox -> Bool in
            inbox.append(message)
            return inbox.count == 1
        }
        if wasEmpty { waker.wake() }
    }

    func takeMessages() -> [LoopMessage] {
        inbox.withLock { inbox in
            defer { inbox = [] }
            return inbox
        }
    }

    /// Starts the loop thread.
    /// - Parameters:
    ///   - listenFD: the listening socket, for the loop that accepts; `nil` for the others.
    ///   - loops: every loop, for distributing accepted connections.
    /// - Throws: `SystemError` if the loop's epoll cannot be set up.
    func start(listenFD: Int32?, loops: [EventLoop]) throws(SystemError) {
        let ready = DispatchSemaphore(value: 0)
        let failure = Mutex<SystemError?>(nil)
        let thread = Thread { [self] in
            let core: LoopCore
            do {
                core = try LoopCore(loop: self, listenFD: listenFD, loops: loops)
            } catch {
                failure.withLock { $0 = error as? SystemError ?? SystemError(errno: 0, call: "event loop") }
                ready.signal()
                exited.open()
                return
            }
            ready.signal()
            core.run()
            exited.open()
        }
        thread.name = "http-loop-\(index)"
        thread.start()
        ready.wait()
        if let error = failure.withLock({ $0 }) { throw error }
    }
}

/// The thread-confined part of an event loop: epoll, connections and timers. Never blocks except in
/// `epoll_wait`; handlers run as `Task`s and post their responses back.
final class LoopCore {
    static let wakerID: UInt64 = 0
    static let listenerID: UInt64 = 1
    /// The coarse timer tick (epoll_wait timeout) that checks header and idle deadlines.
    static let tickMillis: Int32 = 250

    let loop: EventLoop
    let selector: Selector
    let loops: [EventLoop]
    var listenFD: Int32?
    var connections: [UInt64: Connection] = [:]
    var nextID: UInt64 = 2
    var nextLoop = 0
    var dates = DateCache()
    var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)
    /// Reused by `pullStream`: the payloads taken from one stream, and their framed bytes.
    var payloads: [[UInt8]] = []
    var sendBuffer: [UInt8] = []
    var running = true
    var draining = false
    /// The listener's read interest is off until the next tick, after `accept` failed (EMFILE and friends).
    var acceptPaused = false
    var lastTick: UInt64 = 0
    let settings: ConnectionStateMachine.Settings

    init(loop: EventLoop, listenFD: Int32?, loops: [EventLoop]) throws(SystemError) {
        self.loop = loop
        self.loops = loops
        self.listenFD = listenFD
        selector = try Selector()
        settings = loop.context.machineSettings
        try selector.register(loop.waker.fd, id: Self.wakerID, interest: .read)
        if let listenFD { try selector.register(listenFD, id: Self.listenerID, interest: .read) }
    }

    var context: ServerContext { loop.context }

    func run() {
        while running {
            let events: [ReadyEvent]
            do {
                events = try selector.wait(timeoutMillis: Self.tickMillis)
            } catch {
                context.logger.error("epoll_wait failed", ["error": "\(error)"])
                break
            }
            for event in events {
                switch event.id {
                case Self.wakerID:
                    loop.waker.drain()
                    processInbox()
                case Self.listenerID:
                    acceptAll()
                default:
                    guard let connection = connections[event.id] else { continue }
                    handle(event, connection)
                }
            }
            let now = monotonicNanos()
            if now - lastTick >= UInt64(Self.tickMillis) * 1_000_000 {
                lastTick = now
                tick(now: now)
            }
        }
        for connection in Array(connections.values) { close(connection) }
        closeListener()
    }

    private func processInbox() {
        for message in loop.takeMessages() {
            switch message {
            case .adopt(let fd, let peer):
                adopt(fd: fd, peer: peer)
            case .response(let id, let response):
                guard let connection = connections[id] else { continue }
                let actions = connection.machine.responseReady(response, now: monotonicNanos(), date: dates.current())
                apply(actions, connection)
            case .streamReady(let id):
                guard let connection = connections[id] else { continue }
                pullStream(connection)
            case .stopAccepting(let gate):
                closeListener()
                gate.open()
            case .drain:
                draining = true
                let now = monotonicNanos()
                for connection in Array(connections.values) {
                    // Streams end at once on shutdown; their clients resume with Last-Event-ID elsewhere.
                    if connection.stream != nil {
                        close(connection)
                    } else {
                        apply(connection.machine.beginDraining(now: now, date: dates.current()), connection)
                    }
                }
            case .stop:
                running = false
            }
        }
    }

    private func closeListener() {
        guard let fd = listenFD else { return }
        selector.deregister(fd)
        Glibc.close(fd)
        listenFD = nil
    }

    private func acceptAll() {
        guard let listenFD else { return }
        // Bounded per wake-up so one busy listener cannot starve the connections on this loop.
        for _ in 0..<256 {
            let accepted: (fd: Int32, peer: String)?
            do {
                accepted = try Socket.accept(listenFD)
            } catch {
                // EMFILE and friends: the listener stays readable (epoll is level-triggered), so retrying at the
                // next readiness would spin this loop and flood the log. Leave the backlog and retry at the next tick.
                context.logger.warning("accept failed; pausing accepts until the next tick", ["error": "\(error)"])
                pauseAccepting(listenFD)
                return
            }
            guard let (fd, peer) = accepted else { return }
            guard context.openConnection() else {
                // Over maxConnections: close at once so the listen queue keeps draining.
                Glibc.close(fd)
                continue
            }
            let target = loops[nextLoop % loops.count]
            nextLoop += 1
            if target === loop {
                adopt(fd: fd, peer: peer)
            } else {
                target.post(.adopt(fd: fd, peer: peer))
            }
        }
    }

    private func pauseAccepting(_ listenFD: Int32) {
        guard (try? selector.reregister(listenFD, id: Self.listenerID, interest: [])) != nil else { return }
        acceptPaused = true
    }

    /// Called from `tick`: turns accepting back on after a pause.
    func resumeAccepting() {
        guard acceptPaused, let listenFD else { return }
        if (try? selector.reregister(listenFD, id: Self.listenerID, interest: .read)) != nil { acceptPaused = false }
    }

    private func adopt(fd: Int32, peer: String) {
        let id = nextID
        nextID += 1
        let machine = ConnectionStateMachine(settings: settings, remoteAddress: peer, now: monotonicNanos())
        let connection = Connection(id: id, fd: fd, machine: machine)
        do {
            try selector.register(fd, id: id, interest: .read)
        } catch {
            Glibc.close(fd)
            context.closeConnection(wasStream: false)
            return
        }
        connections[id] = connection
        if draining { close(connection) }
    }
}

@available(*, unavailable) extension LoopCore: Sendable {}
#endif
