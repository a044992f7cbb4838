import Core
import Storage

/// What other modules ask live shopping inside their own transactions.
extension LiveService {
    /// The host's session that is live now, if any (a host profile, API.md §20).
    public static func liveSessionID(ofHost hostID: String, in db: any Transaction) throws -> String? {
        try LiveStore.liveSessionID(ofHost: hostID, in: db)
    }

    /// Whether a live session exists, in any status (a share of it, API.md §20).
    public static func sessionExists(_ id: String, in db: any Transaction) throws -> Bool {
        try LiveStore.sessionExists(id, in: db)
    }
}
