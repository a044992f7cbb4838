import Core
import Storage

/// An auction as stored, with the standing the proxy rule works on.
struct AuctionRecord: Sendable, Equatable {
    var pinID: String
    var sessionID: String
    var productID: String
    var startingBidCents: Int64
    var incrementCents: Int64
    var endsAt: Int64
    var status: Auction.Status
    var bids: Int64
    var standing: AuctionRules.Standing?
    var orderID: String?
}

extension LiveStore {
    static let auctionsMigration = Migration(
        "0601_create_live_auctions",
        """
        -- One row per auction pin (API.md §22). The standing (leader, the amount that made it the leader, its maximum,
        -- the current bid) is kept here so that a bid reads one row; the second-highest maximum comes from live_bids.
        CREATE TABLE live_auctions (
            pin_id TEXT PRIMARY KEY REFERENCES live_pins(id),
            session_id TEXT NOT NULL REFERENCES live_sessions(id),
            product_id TEXT NOT NULL,
            starting_bid_cents INTEGER NOT NULL CHECK (starting_bid_cents >= 1),
            increment_cents INTEGER NOT NULL CHECK (increment_cents >= 1),
            ends_at INTEGER NOT NULL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'sold', 'unsold')),
            bids INTEGER NOT NULL DEFAULT 0,
            leader_id TEXT,
            leader_amount_cents INTEGER,
            leader_max_cents INTEGER,
            current_bid_cents INTEGER,
            order_id TEXT,
            closed_at INTEGER,
            CHECK (current_bid_cents IS NULL OR current_bid_cents <= leader_max_cents)
        );
        CREATE INDEX live_auctions_open ON live_auctions(session_id) WHERE status = 'open';

        CREATE TABLE live_bids (
            id TEXT PRIMARY KEY,
            pin_id TEXT NOT NULL REFERENCES live_auctions(pin_id),
            account_id TEXT NOT NULL,
            amount_cents INTEGER NOT NULL CHECK (amount_cents >= 1),
            max_cents INTEGER NOT NULL,
            leading INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            CHECK (max_cents >= amount_cents)
        );
        CREATE INDEX live_bids_by_pin ON live_bids(pin_id, account_id, max_cents);
        CREATE INDEX live_bids_by_account ON live_bids(account_id, created_at);
        """
    )

    static func insertAuction(
        pinID: String, sessionID: String, productID: String, startingBidCents: Int64, incrementCents: Int64,
        endsAt: Int64, in db: any Transaction
    ) throws {
        try db.run(
            """
            INSERT INTO live_auctions (pin_id, session_id, product_id, starting_bid_cents, increment_cents, ends_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """,
            pinID, sessionID, productID, startingBidCents, incrementCents, endsAt
        )
    }

    static func auctionRecord(_ pinID: String, in db: any Transaction) throws -> AuctionRecord? {
        try db.queryOne("SELECT * FROM live_auctions WHERE pin_id = ?", pinID).map(auctionRecord(from:))
    }

    /// The auction of a pin as the API shows it, with the leader's display name; `nil` for a pin without one.
    static func auction(of pinID: String, in db: any Transaction) throws -> Auction? {
        guard let row = try db.queryOne(
            """
            SELECT u.*, a.display_name AS leader_name FROM live_auctions u LEFT JOIN accounts a ON a.id = u.leader_id
            WHERE u.pin_id = ?
            """,
            pinID
        ) else { return nil }
        let record = auctionRecord(from: row)
        return Auction(
            startingBidCents: record.startingBidCents, incrementCents: record.incrementCents,
            currentBidCents: record.standing?.current,
            leader: record.standing.map { Auction.Leader(accountID: $0.leader, displayName: row.optionalString("leader_name") ?? "") },
            bids: record.bids, endsAt: record.endsAt, status: record.status, orderID: record.orderID
        )
    }

    /// Counts a bid on an open auction and returns the auction as it is under the caller's transaction.
    ///
    /// Invariant: bids on one auction are serialized. This UPDATE is the first statement of a bid, so on PostgreSQL it
    /// locks the row until commit and a concurrent bid reads the standing only after this one committed; SQLite's one
    /// writer does the same. A refused bid rolls the count back with its savepoint.
    /// - Returns: `nil` when the pin is not an open auction of the session whose time is still running.
    static func lockOpenAuction(_ pinID: String, session sessionID: String, now: Int64, in db: any Transaction) throws -> AuctionRecord? {
        try db.query(
            """
            UPDATE live_auctions SET bids = bids + 1
            WHERE pin_id = ? AND session_id = ? AND status = 'open' AND ends_at > ?
            RETURNING *
            """,
            pinID, sessionID, now
        ).first.map(auctionRecord(from:))
    }

    /// The highest maximum among the auction's bidders other than `accountID` (the second-highest maximum of API.md
    /// §24 when `accountID` leads); `nil` when nobody else bid.
    static func highestMaximum(of pinID: String, excluding accountID: String, in db: any Transaction) throws -> Int64? {
        try db.scalar("SELECT MAX(max_cents) FROM live_bids WHERE pin_id = ? AND account_id <> ?", pinID, accountID)
    }

    static func insertBid(
        id: String, pinID: String, accountID: String, amountCents: Int64, maxCents: Int64, leading: Bool, now: Int64,
        in db: any Transaction
    ) throws {
        try db.run(
            """
            INSERT INTO live_bids (id, pin_id, account_id, amount_cents, max_cents, "leading", created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            id, pinID, accountID, amountCents, maxCents, leading, now
        )
    }

    /// Every bid of an account, newest first (the data export).
    static func bids(of accountID: String, in db: any Transaction) throws -> [PlacedBid] {
        try db.query(
            """
            SELECT b.*, u.session_id FROM live_bids b JOIN live_auctions u ON u.pin_id = b.pin_id
            WHERE b.account_id = ? ORDER BY b.created_at DESC, b.id DESC
            """,
            accountID
        ).map { row in
            PlacedBid(
                id: row.string("id"), sessionID: row.string("session_id"), pinID: row.string("pin_id"),
                amountCents: row.int64("amount_cents"), maxCents: row.int64("max_cents"), leading: row.bool("leading"),
                createdAt: row.int64("created_at")
            )
        }
    }

    /// Saves the standing and the end after a bid; the row is already locked by ``lockOpenAuction``.
    static func saveStanding(_ standing: AuctionRules.Standing, endsAt: Int64, of pinID: String, in db: any Transaction) throws {
        try db.run(
            """
            UPDATE live_auctions SET leader_id = ?, leader_amount_cents = ?, leader_max_cents = ?, current_bid_cents = ?,
                ends_at = ?
            WHERE pin_id = ? AND status = 'open'
            """,
            standing.leader, standing.leaderAmount, standing.leaderMax, standing.current, endsAt, pinID
        )
    }

    /// Closes an auction: `sold` with a leader, else `unsold`.
    ///
    /// Invariant: an auction closes once. The guard on `status` lets one of two racing closes (the scheduler and a
    /// session's end) through, under any concurrency.
    /// - Parameter selling: false to close `unsold` whatever the standing (the scheduler's last resort).
    /// - Returns: the auction as it was when closed, `nil` when it was closed already.
    static func markClosed(_ pinID: String, selling: Bool, now: Int64, in db: any Transaction) throws -> AuctionRecord? {
        try db.query(
            """
            UPDATE live_auctions
            SET status = CASE WHEN leader_id IS NULL OR ? = 0 THEN 'unsold' ELSE 'sold' END, closed_at = ?
            WHERE pin_id = ? AND status = 'open'
            RETURNING *
            """,
            selling, now, pinID
        ).first.map(auctionRecord(from:))
    }

    /// An auction marked `sold` by ``markClosed`` whose winner's order could not be placed: it closes `unsold`.
    static func markUnsold(_ pinID: String, in db: any Transaction) throws {
        try db.run("UPDATE live_auctions SET status = 'unsold' WHERE pin_id = ?", pinID)
    }

    static func setAuctionOrder(_ orderID: String, of pinID: String, in db: any Transaction) throws {
        try db.run("UPDATE live_auctions SET order_id = ? WHERE pin_id = ?", orderID, pinID)
    }

    /// The open auctions of a session (index `live_auctions_open`).
    static func openAuctions(of sessionID: String, in db: any Transaction) throws -> [String] {
        try db.query("SELECT pin_id FROM live_auctions WHERE session_id = ? AND status = 'open' ORDER BY pin_id", sessionID)
            .map { $0.string("pin_id") }
    }

    /// Whether the pin is an auction pin, open or closed.
    static func isAuction(_ pinID: String, in db: any Transaction) throws -> Bool {
        try db.queryOne("SELECT 1 FROM live_auctions WHERE pin_id = ?", pinID) != nil
    }

    static func isOpenAuction(_ pinID: String, in db: any Transaction) throws -> Bool {
        try db.queryOne("SELECT 1 FROM live_auctions WHERE pin_id = ? AND status = 'open'", pinID) != nil
    }

    private static func auctionRecord(from row: Row) -> AuctionRecord {
        var standing: AuctionRules.Standing?
        if let leader = row.optionalString("leader_id") {
            standing = AuctionRules.Standing(
                leader: leader, leaderAmount: row.int64("leader_amount_cents"), leaderMax: row.int64("leader_max_cents"),
                current: row.int64("current_bid_cents")
            )
        }
        return AuctionRecord(
            pinID: row.string("pin_id"), sessionID: row.string("session_id"), productID: row.string("product_id"),
            startingBidCents: row.int64("starting_bid_cents"), incrementCents: row.int64("increment_cents"),
            endsAt: row.int64("ends_at"), status: Auction.Status(rawValue: row.string("status")) ?? .open,
            bids: row.int64("bids"), standing: standing, orderID: row.optionalString("order_id")
        )
    }
}
