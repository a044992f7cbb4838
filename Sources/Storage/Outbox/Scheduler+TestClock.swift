import Core
import Foundation

extension Scheduler {
    /// Moves `clock` forward by `seconds` (API.md §13) and runs what became due. The offset is stored before the
    /// clock moves, so a restart never moves time back.
    /// - Returns: the clock's new time.
    public func advance(_ clock: AdjustableClock, bySeconds seconds: Int64) async throws -> Date {
        let offset = try await database.write { db in try TestClockStore.advance(by: seconds, in: db) }
        clock.setOffset(offset)
        wake()
        return clock.now()
    }

    /// Several nodes on one PostgreSQL database share one test clock: an advance on one node stores the offset, and
    /// the others take it up before their next pass, which other nodes' commits wake (else the second's poll).
    /// Without this a node's clock moved only at its start, and jobs fell due on one node only.
    public func followTestClock(_ clock: AdjustableClock) {
        let database = self.database
        beforePass.withLock { refresh in
            refresh = { if let offset = try? await database.read({ db in try TestClockStore.offset(in: db) }) { clock.setOffset(offset) } }
        }
        database.onOtherNodesCommit { [weak self] in self?.wake() }
    }
}
