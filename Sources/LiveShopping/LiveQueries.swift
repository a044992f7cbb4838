import Core
import Storage

/// What other modules ask live shopping inside their own transactions.
extension LiveService {
    /// The host's session that is live now, if any (a host profile, API.md §20).
    public static func liveSessionID(ofHost hostID: String, in db: Connection) throws -> String? {
        try db.queryOne(
            "SELECT id FROM live_sessions WHERE host_id = ? AND status = 'live' ORDER BY started_at DESC LIMIT 1", hostID
        )?.string("id")
    }

    /// Whether a live session exists, in any status (a share of it, API.md §20).
    public static func sessionExists(_ id: String, in db: Connection) throws -> Bool {
        try db.queryOne("SELECT 1 AS one FROM live_sessions WHERE id = ?", id) != nil
    }
}
