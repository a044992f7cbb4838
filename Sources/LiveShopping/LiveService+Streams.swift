import Core
import Storage

/// The session event streams of API.md §9 on the generic ``StreamHub``, keyed by session id and fed from
/// `live_events`; `viewers` and `likes` are unnumbered events written by the service's timer.
extension LiveService {
    /// What a new event stream needs, read before the response starts so that an unknown session is a `404`.
    public struct StreamStart: Sendable {
        public let sessionID: String
        /// Replay from here: the client's `Last-Event-ID`, or the newest id for a first connection.
        public let after: Int64
        public let newestID: Int64
        /// The session ended and the client has nothing to resume: the stream closes at once.
        public let closeAtOnce: Bool
    }

    /// Checks the session, counts the viewer (an account once, every anonymous stream once) and reads the newest id.
    /// - Parameters:
    ///   - lastEventID: the `Last-Event-ID` header when it is a number.
    ///   - viewer: the caller's account id when the stream carries a valid token.
    /// - Throws: `404` when the session does not exist.
    public func prepareStream(_ sessionID: String, lastEventID: Int64?, viewer: String?) async throws -> StreamStart {
        let viewerKey = viewer ?? "anonymous:" + ids.next("anon")
        let (status, newest) = try await database.write { db -> (LiveStatus, Int64) in
            let s = try LiveStore.requireSession(sessionID, in: db)
            if s.status != .ended { try LiveStore.addViewer(viewerKey, to: sessionID, in: db) }
            return (s.status, try LiveStore.lastEventID(of: sessionID, in: db))
        }
        return StreamStart(
            sessionID: sessionID, after: lastEventID ?? newest, newestID: newest,
            closeAtOnce: status == .ended && lastEventID == nil
        )
    }

    /// Connects an open stream to the hub.
    /// - Returns: the function to call when the connection goes away.
    public func attach(_ sink: any EventSink, to start: StreamStart) -> @Sendable () -> Void {
        if start.closeAtOnce {
            sink.close()
            return {}
        }
        let detach = hub.attach(sink, key: start.sessionID, after: start.after, newestID: start.newestID)
        // With the other nodes' streams as last read (PostgreSQL; none on SQLite).
        let others = clusterViewers.withLock { $0.others[start.sessionID] } ?? 0
        peaks.note(Int64(hub.subscriberCount(of: start.sessionID)) + others, of: start.sessionID)
        return detach
    }

    /// Writes `viewers` to the sessions in `viewers` (their count changed) and `likes` to those in `likes`; at most
    /// once per tick.
    func sendCounters(viewers: [String: Int], likes: [String: Int64]) {
        for sessionID in Set(viewers.keys).union(likes.keys) {
            var bytes: [UInt8] = []
            if let count = viewers[sessionID] { bytes += Array("event: viewers\ndata: {\"viewer_count\":\(count)}\n\n".utf8) }
            if let count = likes[sessionID] { bytes += Array("event: likes\ndata: {\"like_count\":\(count)}\n\n".utf8) }
            hub.sendUnnumbered(bytes, to: sessionID)
        }
    }
}
