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
    public static var migration: Migration { FollowStore.migration }

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
            let at = try FollowStore.follow(hostID, by: followerID, now: now, in: db)
            return Follow(hostID: hostID, displayName: host.displayName, followedAt: at)
        }
    }

    /// Unfollows; not following is fine too.
    public func unfollow(_ hostID: String, by followerID: String) async throws {
        try await database.write { db in
            try FollowStore.unfollow(hostID, by: followerID, in: db)
        }
    }

    /// Newest first.
    public func following(of followerID: String, page: PageRequest) async throws -> Page<Follow> {
        try await database.read { db in try FollowStore.following(of: followerID, page: page, in: db) }
    }

    /// Every follow of an account (its data export).
    public static func following(of followerID: String, in db: any Transaction) throws -> [Follow] {
        var all: [Follow] = []
        var page = PageRequest(limit: 100)
        repeat {
            let result = try FollowStore.following(of: followerID, page: page, in: db)
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
                followers: try FollowStore.followerCount(of: hostID, in: db),
                liveSessionID: try LiveService.liveSessionID(ofHost: hostID, in: db)
            )
        }
    }

    /// Followers of a host after `after` in key order, for a fan-out in pages.
    public static func followers(of hostID: String, after: String, limit: Int, in db: any Transaction) throws -> [String] {
        try FollowStore.followers(of: hostID, after: after, limit: limit, in: db)
    }

    static func requireHost(_ id: String, in db: any Transaction) throws -> Account {
        guard let account = try AccountService.account(id: id, in: db), account.roles.contains(.host) else {
            throw SocialError.hostNotFound(id)
        }
        return account
    }
}
