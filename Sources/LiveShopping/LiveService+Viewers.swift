import Core
import Storage

/// Viewer counts and peaks across the cluster (API.md §24), on PostgreSQL only: every node's timer publishes its
/// open streams per session and reads the other nodes', so the `viewers` events, the session JSON and the peak show
/// the sum. SQLite's one process counts its own streams, as before, without a statement.
extension LiveService {
    struct ClusterViewers {
        /// The other nodes' open streams of the sessions open here, as last read.
        var others: [String: Int64] = [:]
        /// The sums last sent in `viewers` events.
        var sent: [String: Int] = [:]
        /// Whether this node has rows in `live_node_viewers` to refresh or clear.
        var published = false
    }

    /// Every this many ticks (a minute) a node also deletes the rows of nodes gone silent.
    static let forgetGoneNodesTicks = 120

    /// Publishes this node's open streams, reads the other nodes' for the sessions open here and notes each sum as
    /// a peak; one short write that wakes no one (``Database/writeUnannounced(_:)``), skipped while this node has no
    /// stream and nothing published.
    /// - Returns: the sums to send in `viewers` events: those that changed, and those of sessions whose streams here
    ///   came or went (a new stream hears the count, as on SQLite).
    func exchangeViewers(tick: Int) async -> [String: Int] {
        let local = hub.subscriberCounts
        let cameOrWent = hub.takeCountChanges()
        let published = clusterViewers.withLock { $0.published }
        guard !local.isEmpty || published else { return [:] }
        let node = self.node
        let counts = local.mapValues(Int64.init)
        let others: [String: Int64]
        var failed = false
        do {
            others = try await database.writeUnannounced { db in
                try LiveStore.publishViewers(counts, node: node, in: db)
                if tick % Self.forgetGoneNodesTicks == 0 { try LiveStore.forgetGoneNodes(in: db) }
                return try LiveStore.otherNodesViewers(of: counts.keys, node: node, in: db)
            }
        } catch {
            // The next tick tries again; meanwhile the other nodes' streams count as last read.
            others = clusterViewers.withLock { $0.others }
            failed = true
        }
        var sums: [String: Int] = [:]
        for (sessionID, count) in local {
            let sum = count + Int(others[sessionID] ?? 0)
            sums[sessionID] = sum
            peaks.note(Int64(sum), of: sessionID)
        }
        return clusterViewers.withLock { state in
            let changed = sums.filter { state.sent[$0.key] != $0.value || cameOrWent[$0.key] != nil }
            state = ClusterViewers(others: others, sent: sums, published: !local.isEmpty || failed)
            return changed
        }
    }

    /// At shutdown, after ``stop()``: deletes this node's rows, so that the other nodes stop counting its streams at
    /// once rather than when the rows fall silent. Nothing to do on SQLite, which never publishes.
    public func withdrawViewers() async {
        guard clusterViewers.withLock({ $0.published }) else { return }
        let node = self.node
        // A failure leaves the rows to fall silent within a few seconds.
        _ = try? await database.writeUnannounced { db in try LiveStore.publishViewers([:], node: node, in: db) }
    }

    /// PostgreSQL: every node adds its likes to the session's row each tick, so the cluster's count is that row plus
    /// what this node has not saved yet. The sessions this node counts likes for or streams are read again after
    /// each save, and a count that moved is sent on the next tick: a like on one node reaches the `likes` events and
    /// the answers of every node within a second (API.md §23). Before, each node showed its own likes only.
    func followClusterLikes() async {
        let ids = Set(likes.withLock { Array($0.keys) }).union(hub.subscriberCounts.keys)
        guard !ids.isEmpty, let stored = try? await database.read({ db in try LiveStore.likeCounts(of: Array(ids), in: db) })
        else { return }
        likes.withLock { counters in
            for (id, count) in stored {
                guard var counter = counters[id] else {
                    // First seen here: this node's streams may have missed the likes other nodes counted so far.
                    counters[id] = LikeCounter(total: count, changed: count > 0)
                    continue
                }
                guard counter.total != count + counter.unsaved else { continue }
                counter.total = count + counter.unsaved
                counter.changed = true
                counters[id] = counter
            }
        }
    }
}
