import Accounts
import Core
import Foundation
import Storage

/// Communities around hosts and merchants (API.md §20): members-only chat with the live chat's rate limit and
/// moderation, and an event stream per community on the same fan-out machinery (`community:<id>` in the event log).
public final class CommunityService: Sendable {
    private let database: Database
    private let clock: any WallClock
    private let ids: IDGenerator
    /// One message per second per account, across the cluster on PostgreSQL (API.md §24).
    private let rateLimit: MessageRateLimit

    /// - Parameter rateLimiter: the slots on SQLite; PostgreSQL keeps them in the database.
    public init(database: Database, clock: any WallClock, ids: IDGenerator, rateLimiter: MessageRateLimiter) {
        self.database = database
        self.clock = clock
        self.ids = ids
        self.rateLimit = MessageRateLimit(database: database, kind: "community", memory: rateLimiter)
    }

    public static var migration: Migration { CommunityStore.migration }

    /// A community whose owner is its first member.
    public func create(name: String, description: String, by owner: Principal) async throws -> Community {
        let now = clock.now().epochSeconds
        let id = ids.next("cmty")
        return try await database.write { db in
            try CommunityStore.insert(id, name: name, description: description, ownerID: owner.accountID, now: now, in: db)
            _ = try CommunityStore.join(owner.accountID, id, now: now, in: db)
            return try CommunityStore.community(id, in: db)!
        }
    }

    public func communities(page: PageRequest) async throws -> Page<Community> {
        try await database.read { db in try CommunityStore.communities(page: page, in: db) }
    }

    public func community(_ id: String) async throws -> Community {
        try await database.read { db in try Self.require(id, in: db) }
    }

    /// - Throws: `409 already_joined`, `409 limit_reached` (500 members).
    public func join(_ id: String, by account: String) async throws -> Int64 {
        let now = clock.now().epochSeconds
        return try await database.write { db in
            _ = try Self.require(id, in: db)
            guard try CommunityStore.join(account, id, now: now, in: db) else { throw CommunityError.alreadyJoined }
            return now
        }
    }

    /// Leaving frees a place; the owner cannot leave (`409 invalid_state`).
    public func leave(_ id: String, by account: String) async throws {
        try await database.write { db in
            let community = try Self.require(id, in: db)
            guard community.ownerID != account else { throw CommunityError.ownerCannotLeave }
            try CommunityStore.leave(account, id, in: db)
        }
    }

    /// Members only. - Throws: `404`, `403`.
    public func requireMember(_ id: String, _ account: String) async throws {
        try await database.read { db in
            _ = try Self.require(id, in: db)
            guard try CommunityStore.isMember(account, of: id, in: db) else { throw CommunityError.notMember }
        }
    }

    public func messages(of id: String, for account: String, page: PageRequest) async throws -> Page<CommunityMessage> {
        try await requireMember(id, account)
        return try await database.read { db in try CommunityStore.messages(of: id, page: page, in: db) }
    }

    /// - Throws: `404`, `403` (not a member, or muted), `429 rate_limited`.
    public func post(_ text: String, to id: String, by caller: Principal) async throws -> CommunityMessage {
        try await requireMember(id, caller.accountID)
        let now = clock.now()
        let claim = try await rateLimit.take(caller.accountID, now: now.timeIntervalSince1970)
        let messageID = ids.next("cmm")
        do {
            return try await database.write { db in
                guard try !CommunityStore.isMuted(caller.accountID, in: id, in: db) else { throw CommunityError.muted }
                let message = CommunityMessage(
                    id: messageID, communityID: id, accountID: caller.accountID, displayName: caller.displayName, text: text,
                    createdAt: now.epochSeconds
                )
                try CommunityStore.insert(message, in: db)
                try EventLog.append(CommunityEvent.messageCreated, stream: CommunityEvent.stream(id), data: message.json, now: message.createdAt, in: db)
                return message
            }
        } catch {
            await rateLimit.giveBack(claim)
            throw error
        }
    }

    /// The owner deletes a message. - Throws: `404` (also when deleted already), `403` for anyone else.
    public func deleteMessage(_ messageID: String, in id: String, by caller: Principal) async throws {
        let now = clock.now().epochSeconds
        try await database.write { db in
            let community = try Self.require(id, in: db)
            guard community.ownerID == caller.accountID || caller.has(.admin) else { throw CommunityError.notMember }
            guard try CommunityStore.deleteMessage(messageID, in: id, now: now, in: db) else {
                throw CommunityError.messageNotFound(messageID)
            }
            try EventLog.append(
                CommunityEvent.messageDeleted, stream: CommunityEvent.stream(id), data: ["message_id": .string(messageID)], now: now, in: db
            )
        }
    }

    /// The owner mutes a member.
    public func mute(_ account: String, in id: String, by caller: Principal) async throws {
        try await database.write { db in
            let community = try Self.require(id, in: db)
            guard community.ownerID == caller.accountID || caller.has(.admin) else { throw CommunityError.notMember }
            guard try AccountService.account(id: account, in: db) != nil else {
                throw CommunityError.accountNotFound(account)
            }
            try CommunityStore.mute(account, in: id, in: db)
        }
    }

    /// A host went live: its communities hear of it (`live.started` with the session id).
    public static func hostWentLive(_ hostID: String, session: String, now: Int64, in db: any Transaction) throws {
        for communityID in try CommunityStore.communityIDs(ownedBy: hostID, in: db) {
            try EventLog.append(
                CommunityEvent.liveStarted, stream: CommunityEvent.stream(communityID),
                data: ["live_session_id": .string(session)], now: now, in: db
            )
        }
    }

    /// Communities an account belongs to, and its messages (the data export); erasure clears the texts.
    public static func export(of accountID: String, in db: any Transaction) throws -> (communities: [Community], messages: [CommunityMessage]) {
        let communities = try CommunityStore.communities(joinedBy: accountID, in: db)
        let name = try AccountService.displayName(of: accountID, in: db) ?? ""
        let messages = try CommunityStore.messages(writtenBy: accountID, displayName: name, in: db)
        return (communities, messages)
    }

    public static func erase(_ accountID: String, in db: any Transaction) throws {
        try CommunityStore.eraseMessages(of: accountID, in: db)
        try EventLog.rewriteMessages(of: accountID, streamPrefix: "community:", in: db)
    }

    static func require(_ id: String, in db: any Transaction) throws -> Community {
        guard let community = try CommunityStore.community(id, in: db) else { throw CommunityError.notFound(id, field: nil) }
        return community
    }
}
