import Core
import Storage

/// The SQL of communities, members, messages, mutes and red packets.
enum CommunityStore {
    // PostgreSQL: no `WITHOUT ROWID`; plain tables with the same primary keys.
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

    static func community(_ id: String, in db: any Transaction) throws -> Community? {
        try db.queryOne(select + " WHERE c.id = ?", id).map(community(from:))
    }

    static func insert(
        _ id: String, name: String, description: String, ownerID: String, now: Int64, in db: any Transaction
    ) throws {
        try db.run(
            "INSERT INTO communities (id, name, description, owner_id, created_at) VALUES (?, ?, ?, ?, ?)",
            id, name, description, ownerID, now
        )
    }

    static func communities(page: PageRequest, in db: any Transaction) throws -> Page<Community> {
        try Keyset.newestFirst(
            "SELECT * FROM (\(select)) AS c", conditions: [], arguments: [], page: page, in: db, map: community(from:),
            key: { ($0.createdAt, $0.id) }
        )
    }

    static func isMember(_ accountID: String, of communityID: String, in db: any Transaction) throws -> Bool {
        try db.queryOne(
            "SELECT 1 AS one FROM community_members WHERE community_id = ? AND account_id = ?", communityID, accountID
        ) != nil
    }

    /// - Returns: false when the account is a member already. - Throws: `limit_reached` at 500.
    static func join(_ accountID: String, _ communityID: String, now: Int64, in db: any Transaction) throws -> Bool {
        guard try db.run(
            "INSERT INTO community_members (community_id, account_id, joined_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            communityID, accountID, now
        ) == 1 else { return false }
        // Invariant: at most 500 members — the guarded counter UPDATE, whatever the concurrency.
        guard try db.run("UPDATE communities SET member_count = member_count + 1 WHERE id = ? AND member_count < 500", communityID) == 1
        else { throw CommunityError.full }
        return true
    }

    static func leave(_ accountID: String, _ communityID: String, in db: any Transaction) throws {
        if try db.run("DELETE FROM community_members WHERE community_id = ? AND account_id = ?", communityID, accountID) == 1 {
            try db.run("UPDATE communities SET member_count = member_count - 1 WHERE id = ?", communityID)
        }
    }

    static func messages(of communityID: String, page: PageRequest, in db: any Transaction) throws -> Page<CommunityMessage> {
        try Keyset.newestFirst(
            """
            SELECT * FROM (SELECT m.*, a.display_name FROM community_messages m JOIN accounts a ON a.id = m.account_id
                WHERE m.community_id = ? AND m.deleted_at IS NULL) AS m
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

    /// The communities a host owns.
    static func communityIDs(ownedBy ownerID: String, in db: any Transaction) throws -> [String] {
        try db.query("SELECT id FROM communities WHERE owner_id = ?", ownerID).map { $0.string("id") }
    }

    /// The communities an account belongs to, newest first (the data export).
    static func communities(joinedBy accountID: String, in db: any Transaction) throws -> [Community] {
        try db.query(
            select + " JOIN community_members m ON m.community_id = c.id WHERE m.account_id = ? ORDER BY c.created_at DESC",
            accountID
        ).map(community(from:))
    }

    static func community(from row: Row) -> Community {
        Community(
            id: row.string("id"), name: row.string("name"), description: row.string("description"),
            ownerID: row.string("owner_id"), ownerName: row.string("owner_name"), memberCount: row.int64("member_count"),
            createdAt: row.int64("created_at")
        )
    }

    // MARK: - Messages and mutes

    static func isMuted(_ accountID: String, in communityID: String, in db: any Transaction) throws -> Bool {
        try db.queryOne(
            "SELECT 1 AS one FROM community_mutes WHERE community_id = ? AND account_id = ?", communityID, accountID
        ) != nil
    }

    static func mute(_ accountID: String, in communityID: String, in db: any Transaction) throws {
        // Invariant: one mute per pair — the primary key; muting twice changes nothing.
        try db.run("INSERT INTO community_mutes (community_id, account_id) VALUES (?, ?) ON CONFLICT DO NOTHING", communityID, accountID)
    }

    static func insert(_ message: CommunityMessage, in db: any Transaction) throws {
        try db.run(
            "INSERT INTO community_messages (id, community_id, account_id, text, created_at) VALUES (?, ?, ?, ?, ?)",
            message.id, message.communityID, message.accountID, message.text, message.createdAt
        )
    }

    /// - Returns: false when the community has no such message, or it is deleted already.
    static func deleteMessage(_ messageID: String, in communityID: String, now: Int64, in db: any Transaction) throws -> Bool {
        try db.run(
            "UPDATE community_messages SET deleted_at = ? WHERE id = ? AND community_id = ? AND deleted_at IS NULL",
            now, messageID, communityID
        ) == 1
    }

    /// Every message an account wrote, newest first, shown under `displayName` (the data export).
    static func messages(writtenBy accountID: String, displayName: String, in db: any Transaction) throws -> [CommunityMessage] {
        try db.query(
            "SELECT * FROM community_messages WHERE account_id = ? ORDER BY created_at DESC, id DESC", accountID
        ).map {
            CommunityMessage(
                id: $0.string("id"), communityID: $0.string("community_id"), accountID: accountID, displayName: displayName,
                text: $0.string("text"), createdAt: $0.int64("created_at")
            )
        }
    }

    /// Erasure clears the texts of an account's messages.
    static func eraseMessages(of accountID: String, in db: any Transaction) throws {
        try db.run("UPDATE community_messages SET text = '' WHERE account_id = ?", accountID)
    }
}
