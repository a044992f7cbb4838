import CSQLite
import Synchronization

/// Copies the WAL back into the database file in two steps, so the writer is never held up by a long copy: past
/// the threshold, a connection of its own copies the bulk (PASSIVE, beside the writer, https://sqlite.org/wal.html);
/// once that is done, the writer copies the few frames appended meanwhile, between batches. Only the writer's own
/// checkpoint reaches the WAL's end while nothing is being written, and only then does SQLite start the WAL over
/// from its beginning: a checkpointer alone, under steady writes, let the WAL grow to 85 MB (`6679c75`).
///
/// The copy used to run whole on the writer: at 8,192 frames it held paid checkouts for tens of milliseconds, their
/// p99 57–70 ms against 35–40 ms with no checkpoint at all (bench/RESULTS.md).
final class WALCheckpointer: Sendable {
    private enum Phase {
        case idle
        /// The checkpointer connection is copying.
        case copying
        /// The bulk is copied; the writer copies the rest after its next batch.
        case copied
    }

    private let connection: SerializedConnection
    private let threshold: Int32
    private let phase = Mutex(Phase.idle)

    init(connection: SerializedConnection, threshold: Int32) {
        self.connection = connection
        self.threshold = threshold
    }

    /// Runs on the writer after every batch (GroupCommit's afterCommit).
    func afterCommit(_ writer: Connection) {
        let current = phase.withLock { $0 }
        switch current {
        case .idle where writer.walFrames >= threshold:
            phase.withLock { $0 = .copying }
            connection.runAsync { [self] checkpointer in
                _ = try? checkpointer.query("PRAGMA wal_checkpoint(PASSIVE)")
                phase.withLock { $0 = .copied }
            }
        case .copied:
            _ = try? writer.query("PRAGMA wal_checkpoint(PASSIVE)")
            phase.withLock { $0 = .idle }
        default:
            break
        }
    }

    /// Whether the checkpointer connection is copying now; a checkpoint of the writer's own waits for it, since of
    /// two at once one fails busy. Copies start only on the writer, so on the writer's queue this stays true or false.
    var isCopying: Bool { phase.withLock { $0 == .copying } }

    /// Returns once the copy queued so far, if any, has finished.
    func drain() async {
        _ = try? await connection.run { _ in }
    }

    func close() {
        connection.close()
    }
}
