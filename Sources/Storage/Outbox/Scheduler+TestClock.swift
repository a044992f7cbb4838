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
}
