import Core
import Storage

/// The SQL of communities, members, messages, mutes and red packets.
enum CommunityStore {
    static let migration = Migration(
        "0801_create_communities_and_red_packets",
        """
        CREATE TABLE communities (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            description TEXT NOT NULL,
            owner_id TEXT NOT NULL REFERENCES accounts(id),
            member_count INTEGER NOT NULL DEFAULT 0 CHECK (member_count BETWEEN 0 AND 500),
            created_at INTEGER NOT NULL
        );
        CREATE INDEX communities_by_time ON communities(created_at DESC, id DESC);
        CREATE INDEX communities_by_owner ON communities(owner_id);
        CREATE TABLE community_members (
            community_id TEXT NOT NULL REFERENCES communities(id),
            account_id TEXT NOT NULL REFERENCES accounts(id),
            joined_at INTEGER NOT NULL,
            PRIMARY KEY (community_id, account_id)
        ) WITHOUT ROWID;
        CREATE INDEX community_members_by_account ON community_members(account_id);
        CREATE TABLE community_messages (
            id TEXT PRIMARY KEY,
            community_id TEXT NOT NULL REFERENCES communities(id),
            account_id TEXT NOT NULL,
            text TEXT NOT NULL,
            deleted_at INTEGER,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX community_messages_by_community ON community_messages(community_id, created_at DESC, id DESC);
        CREATE TABLE community_mutes (
            community_id TEXT NOT NULL,
            account_id TEXT NOT NULL,
            PRIMARY KEY (community_id, account_id)
        ) WITHOUT ROWID;
        CREATE TABLE red_packets (
            id TEXT PRIMARY KEY,
            sender_id TEXT NOT NULL REFERENCES accounts(id),
            community_id TEXT NOT NULL REFERENCES communities(id),
            total_cents INTEGER NOT NULL,
            count INTEGER NOT NULL,
            claimed_count INTEGER NOT NULL DEFAULT 0,
            message TEXT,
            seed TEXT NOT NULL,
            seed_hash TEXT NOT NULL,
            shares TEXT NOT NULL,
            revealed INTEGER NOT NULL DEFAULT 0,
            expires_at INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            CHECK (claimed_count BETWEEN 0 AND count)
        );
        CREATE INDEX red_packets_by_community ON red_packets(community_id, created_at DESC, id DESC);
        CREATE TABLE red_packet_claims (
            red_packet_id TEXT NOT NULL REFERENCES red_packets(id),
            account_id TEXT NOT NULL,
            claim_index INTEGER NOT NULL,
            amount_cents INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (red_packet_id, account_id),
            UNIQUE (red_packet_id, claim_index)
        ) WITHOUT ROWID;
        """
    )

    static let select = """
        SELECT c.*, a.display_name AS owner_name FROM communities c JOIN accounts a ON a.id = c.owner_id
        """

    static func community(_ id: String, in db: Connection) throws -> Community? {
        try db.queryOne(select + " WHERE c.id = ?", id).map(community(from:))
    }

    static func communities(page: PageRequest, in db: Connection) throws -> Page<Community> {
        try Keyset.newestFirst(
            "SELECT * FROM (\(select))", conditions: [], arguments: [], page: page, in: db, map: community(from:),
            key: { ($0.createdAt, $0.id) }
        )
    }

    static func isMember(_ accountID: String, of communityID: String, in db: Connection) throws -> Bool {
        try db.queryOne(
            "SELECT 1 AS one FROM community_members WHERE community_id = ? AND account_id = ?", communityID, accountID
        ) != nil
    }

    /// - Returns: false when the account is a member already. - Throws: `limit_reached` at 500.
    static func join(_ accountID: String, _ communityID: String, now: Int64, in db: Connection) throws -> Bool {
        guard try db.run(
            "INSERT INTO community_members (community_id, account_id, joined_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            communityID, accountID, now
        ) == 1 else { return false }
        // Invariant: at most 500 members — the guarded counter UPDATE, whatever the concurrency.
        guard try db.run("UPDATE communities SET member_count = member_count + 1 WHERE id = ? AND member_count < 500", communityID) == 1
        else { throw CommunityError.full }
        return true
    }

    static func leave(_ accountID: String, _ communityID: String, in db: Connection) throws {
        if try db.run("DELETE FROM community_members WHERE community_id = ? AND account_id = ?", communityID, accountID) == 1 {
            try db.run("UPDATE communities SET member_count = member_count - 1 WHERE id = ?", communityID)
        }
    }

    static func messages(of communityID: String, page: PageRequest, in db: Connection) throws -> Page<CommunityMessage> {
        try Keyset.newestFirst(
            """
            SELECT * FROM (SELECT m.*, a.display_name FROM community_messages m JOIN accounts a ON a.id = m.account_id
                WHERE m.community_id = ? AND m.deleted_at IS NULL)
            """,
            conditions: [], arguments: [communityID], page: page, in: db,
            map: { row in
                CommunityMessage(
                    id: row.string("id"), communityID: communityID, accountID: row.string("account_id"),
                    displayName: row.string("display_name"), text: row.string("text"), createdAt: row.int64("created_at")
                )
            },
            key: { ($0.createdAt, $0.id) }
        )
    }

    static func community(from row: Row) -> Community {
        Community(
            id: row.string("id"), name: row.string("name"), description: row.string("description"),
            ownerID: row.string("owner_id"), ownerName: row.string("owner_name"), memberCount: row.int64("member_count"),
            createdAt: row.int64("created_at")
        )
    }

    static func packet(_ id: String, in db: Connection) throws -> RedPacket? {
        guard let row = try db.queryOne(
            "SELECT p.*, a.display_name FROM red_packets p JOIN accounts a ON a.id = p.sender_id WHERE p.id = ?", id
        ) else { return nil }
        let revealed = row.bool("revealed")
        let shares = (try? JSONParser.parse(Array(row.string("shares").utf8)))?.arrayValue?.compactMap(\.intValue) ?? []
        return RedPacket(
            id: row.string("id"), senderID: row.string("sender_id"), senderName: row.string("display_name"),
            communityID: row.string("community_id"), totalCents: row.int64("total_cents"), count: row.int64("count"),
            claimedCount: row.int64("claimed_count"), message: row.optionalString("message"), seedHash: row.string("seed_hash"),
            seed: revealed ? row.string("seed") : nil, shares: revealed ? shares : nil, expiresAt: row.int64("expires_at"),
            createdAt: row.int64("created_at")
        )
    }

    /// The stored shares, also before they are revealed (the claims need them).
    static func shares(of id: String, in db: Connection) throws -> [Int64] {
        let text = try db.queryOne("SELECT shares FROM red_packets WHERE id = ?", id)?.string("shares") ?? "[]"
        return (try? JSONParser.parse(Array(text.utf8)))?.arrayValue?.compactMap(\.intValue) ?? []
    }
}
