#if os(Linux)
import Glibc
import HTTP

/// One accepted socket, owned by a single loop thread.
final class Connection {
    let id: UInt64
    let fd: Int32
    var machine: ConnectionStateMachine
    /// Serialized bytes not yet accepted by the socket, from `offset` on.
    var outbound: [UInt8] = []
    var offset = 0
    var interest: Interest = .read
    var closeWhenFlushed = false
    var isClosed = false
    var stream: StreamWriter?
    /// Bytes at the front of `outbound` that are not stream payload (the response head), excluded from the
    /// stream's unsent count.
    var nonStreamBytes = 0
    /// When the socket last accepted bytes while some were pending, to close peers that stop reading.
    var lastWriteProgress: UInt64 = 0

    init(id: UInt64, fd: Int32, machine: ConnectionStateMachine) {
        self.id = id
        self.fd = fd
        self.machine = machine
    }

    var hasPendingOutput: Bool { offset < outbound.count }
}

@available(*, unavailable) extension Connection: Sendable {}

extension LoopCore {
    func handle(_ event: ReadyEvent, _ connection: Connection) {
        if event.writable { flush(connection) }
        if event.readable, !connection.isClosed { read(connection) }
        if event.hangup, !connection.isClosed { close(connection) }
    }

    private func read(_ connection: Connection) {
        // A few reads per readiness keep one fast client from starving the others on this loop.
        for _ in 0..<4 {
            guard !connection.isClosed, connection.machine.wantsRead else { break }
            let count: Int?
            do {
                count = try Socket.read(connection.fd, into: &readBuffer)
            } catch {
                close(connection)  // ECONNRESET and the like: nothing more can be said to this peer.
                return
            }
            guard let count else { break }
            let now = monotonicNanos()
            if count == 0 {
                apply(connection.machine.peerClosed(now: now, date: dates.current()), connection)
                break
            }
            // Bytes after a stream response are ignored; reading only notices the peer leaving.
            guard connection.stream == nil else { continue }
            apply(connection.machine.received(readBuffer[0..<count], now: now, date: dates.current()), connection)
            if count < readBuffer.count { break }
        }
        updateInterest(connection)
    }

    /// Carries out the state machine's actions, then writes what it can.
    func apply(_ actions: [ConnectionStateMachine.Action], _ connection: Connection) {
        guard !connection.isClosed else { return }
        for action in actions {
            switch action {
            case .write(let bytes):
                if !connection.hasPendingOutput { connection.lastWriteProgress = monotonicNanos() }
                // Usually nothing is pending: take the serialized response as the buffer instead of copying it.
                if connection.outbound.isEmpty {
                    connection.outbound = bytes
                } else {
                    connection.outbound.append(contentsOf: bytes)
                }
                if connection.stream == nil { connection.nonStreamBytes += bytes.count }
            case .startHandler(let request):
                let handler = context.handler
                let loop = self.loop
                let id = connection.id
                // A Task on the global executor, not `Task.immediate`: running handlers on the loop thread saved
                // ~5,000 instructions per request but, under wrk -c64, doubled p99 (connections queue behind
                // other handlers in the same epoll batch), and p99 must not be worse than Hummingbird's.
                Task {
                    let response = await handler(request)
                    loop.post(.response(connection: id, response))
                }
            case .startStream(let head, let chunked, let body):
                connection.outbound.append(contentsOf: head)
                connection.nonStreamBytes += head.count
                let loop = self.loop
                let id = connection.id
                let writer = StreamWriter(limit: context.configuration.streamBufferLimit, chunked: chunked) {
                    loop.post(.streamReady(connection: id))
                }
                connection.stream = writer
                context.counters.withLock { $0.streams += 1 }
                // The body closure may register with a hub and take locks, so it runs off the loop thread.
                Task { body(writer) }
            case .close:
                connection.closeWhenFlushed = true
            case .report(let status, let code, let requestID):
                context.logger.debug("request rejected", ["status": "\(status)", "code": code, "request.id": requestID])
            }
        }
        flush(connection)
    }

    func flush(_ connection: Connection) {
        guard !connection.isClosed else { return }
        while connection.hasPendingOutput {
            let written: Int
            do {
                written = try Socket.write(connection.fd, connection.outbound, from: connection.offset)
            } catch {
                close(connection)
                return
            }
            if written == 0 { break }
            connection.offset += written
            connection.lastWriteProgress = monotonicNanos()
            let fromHead = min(written, connection.nonStreamBytes)
            connection.nonStreamBytes -= fromHead
            if let stream = connection.stream, written > fromHead { stream.sent(written - fromHead) }
        }
        if connection.hasPendingOutput {
            if connection.offset > 64 * 1024 {
                connection.outbound.removeFirst(connection.offset)
                connection.offset = 0
            }
        } else {
            connection.outbound = []
            connection.offset = 0
            if connection.closeWhenFlushed {
                close(connection)
                return
            }
            if connection.stream == nil {
                let actions = connection.machine.outboundDrained(now: monotonicNanos(), date: dates.current())
                if !actions.isEmpty {
                    apply(actions, connection)
                    return
                }
            }
        }
        updateInterest(connection)
    }

    /// Moves a stream's queued payloads to the socket (or ends the stream).
    ///
    /// With nothing else pending (the usual case) they are framed into the loop's reusable send buffer and sent
    /// with one `send`; only what the socket does not take is copied into the connection's own buffer, so an idle
    /// stream that keeps up holds no output buffer at all.
    func pullStream(_ connection: Connection) {
        guard let stream = connection.stream, !connection.isClosed else { return }
        let disposition = stream.take(into: &payloads)
        defer {
            // A queue that grew large is not handed on to the next stream, which would keep it while idle.
            if payloads.capacity > 16 { payloads = [] } else { payloads.removeAll(keepingCapacity: true) }
        }
        switch disposition {
        case .abort:
            context.logger.debug("event stream overflowed", ["connection": "\(connection.id)"])
            close(connection)
            return
        case .finish:
            frame(payloads, chunked: stream.chunked, into: &connection.outbound)
            if stream.chunked { connection.outbound.append(contentsOf: ResponseWriter.lastChunk) }
            connection.closeWhenFlushed = true
        case .keepOpen:
            if connection.hasPendingOutput {
                frame(payloads, chunked: stream.chunked, into: &connection.outbound)
            } else {
                sendDirectly(payloads, of: stream, on: connection)
                return
            }
        }
        flush(connection)
    }

    private func sendDirectly(_ payloads: [[UInt8]], of stream: StreamWriter, on connection: Connection) {
        sendBuffer.removeAll(keepingCapacity: true)
        frame(payloads, chunked: stream.chunked, into: &sendBuffer)
        guard !sendBuffer.isEmpty else { return }
        let written: Int
        do {
            written = try Socket.write(connection.fd, sendBuffer, from: 0)
        } catch {
            close(connection)
            return
        }
        connection.lastWriteProgress = monotonicNanos()
        if written > 0 { stream.sent(written) }
        if written < sendBuffer.count {
            connection.outbound = Array(sendBuffer[written...])
            connection.offset = 0
            updateInterest(connection)
        }
        if sendBuffer.capacity > 64 * 1024 { sendBuffer = [] }
    }

    private func frame(_ payloads: [[UInt8]], chunked: Bool, into out: inout [UInt8]) {
        for payload in payloads {
            if chunked {
                ResponseWriter.appendChunk(payload, to: &out)
            } else {
                out.append(contentsOf: payload)
            }
        }
    }

    func updateInterest(_ connection: Connection) {
        guard !connection.isClosed else { return }
        var wanted: Interest = []
        if connection.machine.wantsRead { wanted.insert(.read) }
        if connection.hasPendingOutput { wanted.insert(.write) }
        guard wanted != connection.interest else { return }
        do {
            try selector.reregister(connection.fd, id: connection.id, interest: wanted)
            connection.interest = wanted
        } catch {
            close(connection)
        }
    }

    func tick(now: UInt64) {
        resumeAccepting()
        let date = dates.current()
        for connection in Array(connections.values) {
            // A peer that stops reading cannot pin a response buffer forever.
            if connection.hasPendingOutput, connection.stream == nil,
                now - connection.lastWriteProgress > settings.idleTimeout
            {
                close(connection)
                continue
            }
            let actions = connection.machine.tick(now: now, date: date)
            if !actions.isEmpty { apply(actions, connection) }
        }
    }

    func close(_ connection: Connection) {
        guard !connection.isClosed else { return }
        connection.isClosed = true
        selector.deregister(connection.fd)
        Glibc.close(connection.fd)
        connections[connection.id] = nil
        context.closeConnection(wasStream: connection.stream != nil)
        connection.stream?.connectionClosed()
    }
}
#endif
