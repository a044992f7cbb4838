import Accounts
import Core
import Storage

extension LiveService {
    /// What happened in a session (API.md §9, §12).
    /// - Throws: `404`, `403` (neither its host nor an admin).
    public func stats(sessionID: String, by caller: Principal) async throws -> LiveStats {
        let stored = try await database.read { db -> LiveStats in
            let s = try LiveStore.requireSession(sessionID, in: db)
            try Self.requireHost(s, caller)
            return try LiveStore.stats(of: s, in: db)
        }
        var stats = stored
        stats.peakViewers = max(stats.peakViewers, peaks.peak(of: sessionID))
        stats.likes = likes.withLock { $0[sessionID]?.total } ?? stats.likes
        return stats
    }
}
