import Core
import Storage

/// The SQL of follows.
enum FollowStore {
    // PostgreSQL: no `WITHOUT ROWID`; a plain table with the same primary key.
    static let migration = Migration(
        "0800_create_follows",
        """
        CREATE TABLE follows (
            follower_id TEXT NOT NULL REFERENCES accounts(id),
            host_id TEXT NOT NULL REFERENCES accounts(id),
            created_at INTEGER NOT NULL,
            PRIMARY KEY (follower_id, host_id)
        ) WITHOUT ROWID;
        -- The fan-out walks a host's followers in key order, a page at a time.
        CREATE INDEX follows_by_host ON follows(host_id, follower_id);
        """
    )

    /// Records a follow unless there is one. - Returns: when the pair's follow began (the first time kept).
    static func follow(_ hostID: String, by followerID: String, now: Int64, in db: any Transaction) throws -> Int64 {
        // Invariant: one follow per pair — the primary key, and ON CONFLICT keeps the first time.
        try db.run(
            "INSERT INTO follows (follower_id, host_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            followerID, hostID, now
        )
        return try db.scalar("SELECT created_at FROM follows WHERE follower_id = ? AND host_id = ?", followerID, hostID) ?? now
    }

    static func unfollow(_ hostID: String, by followerID: String, in db: any Transaction) throws {
        _ = try db.run("DELETE FROM follows WHERE follower_id = ? AND host_id = ?", followerID, hostID)
    }

    /// Newest first.
    static func following(of followerID: String, page: PageRequest, in db: any Transaction) throws -> Page<Follow> {
        try Keyset.newestFirst(
            """
            SELECT * FROM (SELECT f.host_id AS id, a.display_name, f.created_at FROM follows f
                JOIN accounts a ON a.id = f.host_id WHERE f.follower_id = ?) AS f
            """,
            conditions: [], arguments: [followerID], page: page, in: db,
            map: { Follow(hostID: $0.string("id"), displayName: $0.string("display_name"), followedAt: $0.int64("created_at")) },
            key: { ($0.followedAt, $0.hostID) }
        )
    }

    static func followerCount(of hostID: String, in db: any Transaction) throws -> Int64 {
        try db.scalar("SELECT COUNT(*) FROM follows WHERE host_id = ?", hostID) ?? 0
    }

    /// Followers of a host after `after` in key order.
    static func followers(of hostID: String, after: String, limit: Int, in db: any Transaction) throws -> [String] {
        try db.query(
            "SELECT follower_id FROM follows WHERE host_id = ? AND follower_id > ? ORDER BY follower_id LIMIT ?",
            hostID, after, Int64(limit)
        ).map { $0.string("follower_id") }
    }
}
