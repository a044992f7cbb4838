#if PostgreSQL
import Dispatch
import Foundation
import Glibc
import Synchronization

/// Tells every node that something committed, so their event consumers and streams read the log.
///
/// Never `NOTIFY` inside a business transaction: it takes a cluster-wide lock at commit (issue 25 measured 13,672 →
/// 1,483 transactions/s at 32 clients). This sends one `NOTIFY` from a session of its own after commits, and commits
/// that arrive while one is being sent share the next. A lost notification only delays: each node also wakes its
/// consumers once a second by itself.
final class PostgresNotifier: @unchecked Sendable {
    // Invariant: `sender` is used only on `sendQueue`; `listener` only on the listening thread (and in `close`
    // after that thread ended).
    private let sender: PostgresConnection
    private let listener: PostgresConnection
    private let sendQueue = DispatchQueue(label: "basar.storage.postgres.notify")
    private let channel: String
    private let pending = Mutex(false)
    /// The sender's server process, to tell this node's notifications from other nodes'.
    private let senderPID = Mutex<Int32>(0)
    private let stopped = Mutex(false)
    private let wakePipe: (read: Int32, write: Int32)
    private let finished = DispatchSemaphore(value: 0)
    /// Called on the listening thread for each batch of notifications and once a second; it must only signal.
    nonisolated(unsafe) var onNotification: @Sendable () -> Void = {}

    init(conninfo: String, channel: String) throws {
        sender = try PostgresConnection(conninfo: conninfo, schema: nil)
        listener = try PostgresConnection(conninfo: conninfo, schema: nil)
        self.channel = channel
        try listener.execute("LISTEN \(PostgresConnection.quoted(channel))")
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw SQLiteError.misuse("pipe() failed for the notification listener") }
        wakePipe = (fds[0], fds[1])
        senderPID.withLock { $0 = sender.backendPID }
        // The listening loop blocks in poll(2) for the database's lifetime, so it gets a thread of its own, never a
        // Dispatch worker: parked on a serial queue it held one of Dispatch's workers, whose pool is bounded (255
        // threads); a test process with ~160 databases open held as many, and other queues' work (SQLite's readers,
        // PostgreSQL's connections) waited over 20 s for a thread.
        let thread = Thread { [self] in listen() }
        thread.name = "basar.storage.postgres.listen"
        thread.start()
    }

    /// After a local commit: one NOTIFY soon, shared with the commits that come before it is sent.
    func committed() {
        let send = pending.withLock { pending -> Bool in
            defer { pending = true }
            return !pending
        }
        guard send else { return }
        sendQueue.async { [self] in
            pending.withLock { $0 = false }
            guard !stopped.withLock({ $0 }) else { return }
            try? sender.execute("NOTIFY \(PostgresConnection.quoted(channel))")
            sender.recoverIfBroken()
            senderPID.withLock { $0 = sender.backendPID }
        }
    }

    private func listen() {
        var fds = [
            pollfd(fd: listener.socket, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakePipe.read, events: Int16(POLLIN), revents: 0),
        ]
        while !stopped.withLock({ $0 }) {
            let ready = poll(&fds, 2, 1000)
            if stopped.withLock({ $0 }) { break }
            if ready > 0, fds[0].revents != 0 {
                // This node's own NOTIFYs come back too; its observers heard of those commits already.
                let own = senderPID.withLock { $0 }
                let senders = listener.notifications()
                if !senders.isEmpty, senders.allSatisfy({ $0 == own }) { continue }
                if !listener.isHealthy {
                    listener.recoverIfBroken()
                    try? listener.execute("LISTEN \(PostgresConnection.quoted(channel))")
                    fds[0].fd = listener.socket
                }
            }
            // A notification, or a second without one: either way the consumers look at the log.
            onNotification()
        }
        finished.signal()
    }

    func close() {
        let wasStopped = stopped.withLock { stopped in
            defer { stopped = true }
            return stopped
        }
        guard !wasStopped else { return }
        var byte: UInt8 = 1
        _ = write(wakePipe.write, &byte, 1)
        finished.wait()
        Glibc.close(wakePipe.read)
        Glibc.close(wakePipe.write)
        sendQueue.sync { sender.close() }
        listener.close()
    }
}
#endif
