import Core
import Storage

/// The SQL of red packets and their claims.
extension CommunityStore {
    static func insertPacket(
        _ id: String, senderID: String, communityID: String, total: Int64, count: Int64, message: String?,
        seed: [UInt8], shares: [Int64], expiresAt: Int64, now: Int64, in db: any Transaction
    ) throws {
        try db.run(
            """
            INSERT INTO red_packets (id, sender_id, community_id, total_cents, count, message, seed, seed_hash, shares,
                expires_at, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            id, senderID, communityID, total, count, message, Hex.encode(seed), Hex.encode(SHA256.hash(seed)),
            JSON.array(shares.map(JSON.int)).serializedString(), expiresAt, now
        )
    }

    static func packet(_ id: String, in db: any Transaction) throws -> RedPacket? {
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
    static func shares(of id: String, in db: any Transaction) throws -> [Int64] {
        let text = try db.queryOne("SELECT shares FROM red_packets WHERE id = ?", id)?.string("shares") ?? "[]"
        return (try? JSONParser.parse(Array(text.utf8)))?.arrayValue?.compactMap(\.intValue) ?? []
    }

    static func hasClaimed(_ accountID: String, packet id: String, in db: any Transaction) throws -> Bool {
        try db.queryOne(
            "SELECT 1 AS one FROM red_packet_claims WHERE red_packet_id = ? AND account_id = ?", id, accountID
        ) != nil
    }

    /// Takes the next claim index. - Returns: nil when every share is claimed.
    static func takeClaimIndex(of id: String, in db: any Transaction) throws -> Int64? {
        // Invariant: exactly `count` winners — the guarded counter hands out each index once.
        try db.scalar(
            "UPDATE red_packets SET claimed_count = claimed_count + 1 WHERE id = ? AND claimed_count < count RETURNING claimed_count - 1",
            id
        )
    }

    static func insertClaim(
        packet id: String, by accountID: String, index: Int64, amount: Int64, now: Int64, in db: any Transaction
    ) throws {
        // Invariant: one claim per account and per index — the primary key and UNIQUE (red_packet_id, claim_index).
        try db.run(
            "INSERT INTO red_packet_claims (red_packet_id, account_id, claim_index, amount_cents, created_at) VALUES (?, ?, ?, ?, ?)",
            id, accountID, index, amount, now
        )
    }

    static func reveal(_ id: String, in db: any Transaction) throws {
        try db.run("UPDATE red_packets SET revealed = 1 WHERE id = ?", id)
    }

    /// Every packet an account sent or claimed from (its data export).
    static func packets(involving accountID: String, in db: any Transaction) throws -> [RedPacket] {
        try db.query(
            """
            SELECT id FROM red_packets WHERE sender_id = ? UNION
            SELECT red_packet_id AS id FROM red_packet_claims WHERE account_id = ?
            """,
            accountID, accountID
        ).compactMap { try packet($0.string("id"), in: db) }
    }
}
