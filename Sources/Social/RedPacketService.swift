import Accounts
import Core
import Payments
import Storage

/// Red packets in a community (API.md §20): the total held in escrow, shares fixed at creation from a committed
/// seed, claims first come first served, expiry after 24 hours returning the rest, the seed revealed at the end.
public final class RedPacketService: Sendable {
    public static let lifetimeSeconds: Int64 = 24 * 3600
    public static let expireJob = "red_packet.expire"

    private let database: Database
    private let clock: any WallClock
    private let ids: IDGenerator

    public init(database: Database, clock: any WallClock, ids: IDGenerator) {
        self.database = database
        self.clock = clock
        self.ids = ids
    }

    /// ``send(total:count:communityID:message:by:now:in:)`` in its own keyed transaction.
    public func send(
        total: Int64, count: Int64, communityID: String, message: String?, by sender: Principal, key: IdempotencyKey?,
        answering: Answering<RedPacket>
    ) async throws -> Keyed<RedPacket> {
        return try await database.write(keyed: key, clock: clock, answering: answering) { [self] now, db in
            try send(total: total, count: count, communityID: communityID, message: message, by: sender, now: now, in: db)
        }
    }

    /// ``claim(_:by:now:in:)`` in its own keyed transaction.
    public func claim(
        _ id: String, by claimant: Principal, key: IdempotencyKey?, answering: Answering<(index: Int64, amount: Int64)>
    ) async throws -> Keyed<(index: Int64, amount: Int64)> {
        return try await database.write(keyed: key, clock: clock, answering: answering) { [self] now, db in
            try claim(id, by: claimant, now: now, in: db)
        }
    }

    /// Creates a packet inside the caller's transaction.
    ///
    /// - Throws: `404` naming `community_id`, `403` for a non-member, `400` naming `total_cents` below `count`,
    ///   `402 insufficient_funds`.
    public func send(
        total: Int64, count: Int64, communityID: String, message: String?, by sender: Principal, now: Int64, in db: any Transaction
    ) throws -> RedPacket {
        guard try CommunityStore.community(communityID, in: db) != nil else {
            throw CommunityError.notFound(communityID, field: "community_id")
        }
        // 403 for the object the body names comes before the 400 of a rule across fields (API.md §24).
        guard try CommunityStore.isMember(sender.accountID, of: communityID, in: db) else { throw CommunityError.notMember }
        guard total >= count else { throw Failure.invalid("total_cents", "must be at least count (1 cent a share)") }
        let id = ids.next("pkt")
        let seed = SecureRandom.bytes(32)
        let shares = RedPacketShares.split(total: total, count: Int(count), seed: seed)
        try Escrow.hold(total, from: sender.accountID, reference: id, ids: ids, now: now, in: db)
        try CommunityStore.insertPacket(
            id, senderID: sender.accountID, communityID: communityID, total: total, count: count, message: message,
            seed: seed, shares: shares, expiresAt: now + Self.lifetimeSeconds, now: now, in: db
        )
        try Scheduler.schedule(Self.expireJob, key: id, at: now + Self.lifetimeSeconds, in: db)
        let packet = try CommunityStore.packet(id, in: db)!
        try EventLog.append(CommunityEvent.packetCreated, stream: CommunityEvent.stream(communityID), data: packet.json, now: now, in: db)
        return packet
    }

    /// The n-th claim gets share n, paid from escrow into the claimant's wallet.
    ///
    /// - Throws: `404` (unknown, or not a member of its community), `409 already_claimed`, `409 sold_out`,
    ///   `422 expired`.
    public func claim(_ id: String, by claimant: Principal, now: Int64, in db: any Transaction) throws -> (index: Int64, amount: Int64) {
        guard let packet = try CommunityStore.packet(id, in: db),
              try CommunityStore.isMember(claimant.accountID, of: packet.communityID, in: db)
        else { throw CommunityError.packetNotFound(id) }
        guard try !CommunityStore.hasClaimed(claimant.accountID, packet: id, in: db) else { throw CommunityError.alreadyClaimed }
        guard packet.claimedCount < packet.count else { throw CommunityError.soldOut }
        guard now < packet.expiresAt else { throw CommunityError.expired }
        guard let index = try CommunityStore.takeClaimIndex(of: id, in: db) else { throw CommunityError.soldOut }
        let amount = try CommunityStore.shares(of: id, in: db)[Int(index)]
        try CommunityStore.insertClaim(packet: id, by: claimant.accountID, index: index, amount: amount, now: now, in: db)
        _ = try Escrow.transfer(
            reference: id, of: packet.senderID, amount: amount, to: claimant.accountID, kind: "red_packet_in", ids: ids, now: now, in: db
        )
        if index + 1 == packet.count { try CommunityStore.reveal(id, in: db) }
        try EventLog.append(CommunityEvent.packetClaimed, stream: CommunityEvent.stream(packet.communityID), data: [
            "red_packet_id": .string(id), "index": .int(index), "amount_cents": .int(amount),
            "display_name": .string(claimant.displayName),
        ], now: now, in: db)
        try EventLog.append(CommunityEvent.packetClaimed, stream: EventLog.accountStream(packet.senderID), data: [
            "red_packet_id": .string(id), "amount_cents": .int(amount), "currency": .string(Money.currency),
        ], now: now, in: db)
        return (index, amount)
    }

    /// The sender and the members of its community see a packet. - Throws: `404` otherwise.
    public func packet(_ id: String, for caller: Principal) async throws -> RedPacket {
        try await database.read { db in
            guard let packet = try CommunityStore.packet(id, in: db) else { throw CommunityError.packetNotFound(id) }
            let member = try CommunityStore.isMember(caller.accountID, of: packet.communityID, in: db)
            guard packet.senderID == caller.accountID || member else { throw CommunityError.packetNotFound(id) }
            return packet
        }
    }

    /// The scheduler's expiry: what is unclaimed goes back to the sender, and the seed is revealed.
    public func expire(_ id: String, now: Int64, in db: any Transaction) throws {
        guard let packet = try CommunityStore.packet(id, in: db) else { return }
        try Escrow.release(reference: id, of: packet.senderID, ids: ids, now: now, in: db)
        try CommunityStore.reveal(id, in: db)
    }

    /// Every packet an account sent or claimed from (its data export).
    public static func packets(of accountID: String, in db: any Transaction) throws -> [RedPacket] {
        try CommunityStore.packets(involving: accountID, in: db)
    }
}

extension RedPacket {
    /// The API's RedPacket (API.md §20); also the data of `red_packet.created`.
    public var json: JSON {
        [
            "id": .string(id), "sender": ["account_id": .string(senderID), "display_name": .string(senderName)],
            "community_id": .string(communityID), "total_cents": .int(totalCents), "count": .int(count),
            "claimed_count": .int(claimedCount), "message": JSON(message), "currency": .string(Money.currency),
            "server_seed_hash": .string(seedHash), "server_seed": JSON(seed),
            "shares": shares.map { .array($0.map(JSON.int)) } ?? .null,
            "expires_at": .string(Timestamp.format(epochSeconds: expiresAt)),
            "created_at": .string(Timestamp.format(epochSeconds: createdAt)),
        ]
    }
}
