import Core
import Storage

/// Viewer counts across nodes (API.md §23, §24): each node publishes its open streams per session, and a session's
/// count is the sum over the nodes heard from lately. Only PostgreSQL serves several nodes, so only it runs these
/// statements; on SQLite the one process's streams are the count, as they always were.
extension LiveStore {
    static let nodeViewersMigration = Migration(
        "0602_create_live_node_viewers",
        """
        -- A node's open streams per session, written by its timer; rows not refreshed for a few seconds belong to a
        -- node that stopped and are ignored, then deleted. `seen_at` is the database server's clock in milliseconds.
        CREATE TABLE live_node_viewers (
            session_id TEXT NOT NULL,
            node TEXT NOT NULL,
            viewers INTEGER NOT NULL,
            seen_at INTEGER NOT NULL,
            PRIMARY KEY (session_id, node)
        ) WITHOUT ROWID;
        """
    )

    /// Milliseconds since 1970 on the database server: the one clock every node shares, so a node's own clock (or
    /// a test clock) never makes another node's rows look fresh or silent. PostgreSQL's form; only it runs this.
    private static let serverMilliseconds = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)"
    /// A node's rows count while they are at most this old; its timer refreshes them twice a second.
    static let nodeSilentMilliseconds: Int64 = 5000
    /// Rows this old are deleted.
    static let nodeGoneMilliseconds: Int64 = 60_000

    /// Replaces this node's rows with `counts` (sessions with open streams here), refreshing their `seen_at`.
    static func publishViewers(_ counts: [String: Int64], node: String, in db: any Transaction) throws {
        for (sessionID, count) in counts.sorted(by: { $0.key < $1.key }) {
            try db.run(
                """
                INSERT INTO live_node_viewers (session_id, node, viewers, seen_at)
                VALUES (?, ?, ?, \(serverMilliseconds))
                ON CONFLICT (session_id, node) DO UPDATE SET viewers = excluded.viewers, seen_at = excluded.seen_at
                """,
                sessionID, node, count
            )
        }
        try db.run(
            "DELETE FROM live_node_viewers WHERE node = ? AND session_id NOT IN (\(db.dialect.jsonArrayValues))",
            node, idList(counts.keys)
        )
    }

    /// Deletes the rows of nodes gone for a minute (stopped or crashed without clearing theirs).
    static func forgetGoneNodes(in db: any Transaction) throws {
        try db.run("DELETE FROM live_node_viewers WHERE seen_at < \(serverMilliseconds) - ?", nodeGoneMilliseconds)
    }

    /// The open streams of the other nodes heard from lately, summed per session, for those of `sessionIDs` that
    /// have any; an empty answer on SQLite without a query.
    static func otherNodesViewers(
        of sessionIDs: some Collection<String>, node: String, in db: any Transaction
    ) throws -> [String: Int64] {
        guard db.dialect == .postgres, !sessionIDs.isEmpty else { return [:] }
        let rows = try db.query(
            """
            SELECT session_id, SUM(viewers) AS viewers FROM live_node_viewers
            WHERE session_id IN (\(db.dialect.jsonArrayValues)) AND node <> ? AND seen_at >= \(serverMilliseconds) - ?
            GROUP BY session_id
            """,
            idList(sessionIDs), node, nodeSilentMilliseconds
        )
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.string("session_id"), $0.int64("viewers")) })
    }

    private static func idList(_ ids: some Sequence<String>) -> String {
        JSON.array(ids.sorted().map(JSON.string)).serializedString()
    }
}
