import Accounts
import Core
import LiveShopping
import Storage

/// A followed host as the follower sees it.
public struct Follow: Sendable, Equatable {
    public var hostID: String
    public var displayName: String
    public var followedAt: Int64
}

/// A host's public profile (API.md §20).
public struct HostProfile: Sendable, Equatable {
    public var accountID: String
    public var displayName: String
    public var followers: Int64
    public var liveSessionID: String?
}

public enum SocialError: DomainError, Equatable {
    case hostNotFound(String)

    public var code: String { "not_found" }
    public var kind: ErrorKind { .notFound }
    public var detail: String {
        if case let .hostNotFound(id) = self { return "Host \(id) was not found" }
        return ""
    }
}

/// Follows of hosts: the audience of the `host_live` signal (API.md §17, §20).
public final class FollowService: Sendable {
    public static let migration = Migration(
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

    private let database: Database
    private let clock: any WallClock

    public init(database: Database, clock: any WallClock) {
        self.database = database
        self.clock = clock
    }

    /// Follows a host; following twice changes nothing and answers the same.
    /// - Throws: `404` when the account is not a host.
    public func follow(_ hostID: String, by followerID: String) async throws -> Follow {
        let now = clock.now().epochSeconds
        return try await database.write { db in
            let host = try Self.requireHost(hostID, in: db)
            // Invariant: one follow per pair — the primary key, and ON CONFLICT keeps the first time.
            try db.run(
                "INSERT INTO follows (follower_id, host_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                followerID, hostID, now
            )
            let at = try db.scalar("SELECT created_at FROM follows WHERE follower_id = ? AND host_id = ?", followerID, hostID) ?? now
            return Follow(hostID: hostID, displayName: host.displayName, followedAt: at)
        }
    }

    /// Unfollows; not following is fine too.
    public func unfollow(_ hostID: String, by followerID: String) async throws {
        try await database.write { db in
            _ = try db.run("DELETE FROM follows WHERE follower_id = ? AND host_id = ?", followerID, hostID)
        }
    }

    /// Newest first.
    public func following(of followerID: String, page: PageRequest) async throws -> Page<Follow> {
        try await database.read { db in try Self.following(of: followerID, page: page, in: db) }
    }

    static func following(of followerID: String, page: PageRequest, in db: Connection) throws -> Page<Follow> {
        try Keyset.newestFirst(
            """
            SELECT * FROM (SELECT f.host_id AS id, a.display_name, f.created_at FROM follows f
                JOIN accounts a ON a.id = f.host_id WHERE f.follower_id = ?)
            """,
            conditions: [], arguments: [followerID], page: page, in: db,
            map: { Follow(hostID: $0.string("id"), displayName: $0.string("display_name"), followedAt: $0.int64("created_at")) },
            key: { ($0.followedAt, $0.hostID) }
        )
    }

    /// Every follow of an account (its data export).
    public static func following(of followerID: String, in db: Connection) throws -> [Follow] {
        var all: [Follow] = []
        var page = PageRequest(limit: 100)
        repeat {
            let result = try following(of: followerID, page: page, in: db)
            all += result.items
            page.cursor = result.nextCursor
        } while page.cursor != nil
        return all
    }

    public func host(_ hostID: String) async throws -> HostProfile {
        try await database.read { db in
            let host = try Self.requireHost(hostID, in: db)
            return HostProfile(
                accountID: hostID, displayName: host.displayName,
                followers: try db.scalar("SELECT COUNT(*) FROM follows WHERE host_id = ?", hostID) ?? 0,
                liveSessionID: try LiveService.liveSessionID(ofHost: hostID, in: db)
            )
        }
    }

    /// Followers of a host after `after` in key order, for a fan-out in pages.
    public static func followers(of hostID: String, after: String, limit: Int, in db: Connection) throws -> [String] {
        try db.query(
            "SELECT follower_id FROM follows WHERE host_id = ? AND follower_id > ? ORDER BY follower_id LIMIT ?",
            hostID, after, Int64(limit)
        ).map { $0.string("follower_id") }
    }

    static func requireHost(_ id: String, in db: Connection) throws -> Account {
        guard let account = try AccountService.account(id: id, in: db), account.roles.contains(.host) else {
            throw SocialError.hostNotFound(id)
        }
        return account
    }
}
