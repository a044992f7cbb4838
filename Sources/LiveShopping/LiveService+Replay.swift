import Core
import Storage

/// A replay of an ended session cut into chapters, one per pin (API.md §22).
public struct LiveReplay: Sendable, Equatable {
    public struct Chapter: Sendable, Equatable {
        public var pinID: String
        public var productID: String
        public var productTitle: String
        /// Seconds from the session's start to the pin, and to its end.
        public var startOffsetSeconds: Int64
        public var endOffsetSeconds: Int64
        /// Orders carrying the pin's id; units and GMV net of refunds (API.md §24).
        public var orders: Int64
        public var unitsSold: Int64
        public var gmvCents: Int64
    }

    public var sessionID: String
    public var startedAt: Int64
    public var endedAt: Int64
    /// In pin order.
    public var chapters: [Chapter]
}

extension LiveService {
    /// The chapters of an ended session, from its pin timeline.
    /// - Throws: `404`, `409 invalid_state` before the session ended.
    public func replay(_ sessionID: String) async throws -> LiveReplay {
        try await database.read { db in
            let s = try LiveStore.requireSession(sessionID, in: db)
            guard s.status == .ended, let startedAt = s.startedAt, let endedAt = s.endedAt else {
                throw LiveError.invalidState("Session \(sessionID) is \(s.status.rawValue); a replay needs an ended session")
            }
            let chapters = try LiveStore.chapters(of: sessionID, in: db).map { row in
                // A pin ends when it was ended, when its time ran out (the sweep may end it later), or with the session.
                let end = min(row.endedAt ?? endedAt, row.endsAt ?? endedAt, endedAt)
                return LiveReplay.Chapter(
                    pinID: row.pinID, productID: row.productID, productTitle: row.title,
                    startOffsetSeconds: max(0, row.createdAt - startedAt), endOffsetSeconds: max(0, end - startedAt),
                    orders: row.orders, unitsSold: row.units, gmvCents: row.gmvCents
                )
            }
            return LiveReplay(sessionID: sessionID, startedAt: startedAt, endedAt: endedAt, chapters: chapters)
        }
    }
}
