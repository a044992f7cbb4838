import Accounts
import Catalog
import Core
import Storage

/// The SQL of team deals, teams and their members.
enum TeamStore {
    // MARK: - Deals

    static func insertDeal(_ deal: TeamDeal, createdBy accountID: String, in db: any Transaction) throws {
        try db.run(
            """
            INSERT INTO team_deals (id, product_id, created_by, team_price_cents, team_size, window_seconds, active, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            deal.id, deal.product.id, accountID, deal.teamPriceCents, deal.teamSize, deal.windowSeconds, deal.active,
            deal.createdAt
        )
    }

    static let dealColumns = "id, product_id, team_price_cents, team_size, window_seconds, active, created_at"

    static func deal(_ id: String, in db: any Transaction) throws -> TeamDeal? {
        try db.queryOne("SELECT \(dealColumns) FROM team_deals WHERE id = ?", id).flatMap { try deal(from: $0, in: db) }
    }

    /// Newest first; `activeOnly` hides switched-off deals, `productID` narrows to one product.
    static func deals(activeOnly: Bool, productID: String?, page: PageRequest, in db: any Transaction) throws -> Page<TeamDeal> {
        var conditions: [String] = []
        var arguments: [(any SQLBindable)?] = []
        if activeOnly { conditions.append("active = 1") }
        if let productID {
            conditions.append("product_id = ?")
            arguments.append(productID)
        }
        let rows = try Keyset.newestFirst(
            "SELECT \(dealColumns) FROM team_deals", conditions: conditions, arguments: arguments, page: page, in: db,
            map: { $0 }, key: { ($0.int64("created_at"), $0.string("id")) }
        )
        return Page(items: try rows.items.compactMap { try deal(from: $0, in: db) }, nextCursor: rows.nextCursor)
    }

    static func setActive(_ id: String, _ active: Bool, in db: any Transaction) throws {
        try db.run("UPDATE team_deals SET active = ? WHERE id = ?", active, id)
    }

    private static func deal(from row: Row, in db: any Transaction) throws -> TeamDeal? {
        guard let product = try ProductStore.product(row.string("product_id"), in: db) else { return nil }
        return TeamDeal(
            id: row.string("id"), product: product, teamPriceCents: row.int64("team_price_cents"),
            teamSize: row.int64("team_size"), windowSeconds: row.int64("window_seconds"), active: row.bool("active"),
            createdAt: row.int64("created_at")
        )
    }

    // MARK: - Teams

    static func insertTeam(
        _ id: String, deal: TeamDeal, openedBy accountID: String, expiresAt: Int64, now: Int64, in db: any Transaction
    ) throws {
        try db.run(
            """
            INSERT INTO teams (id, deal_id, product_id, team_price_cents, team_size, opened_by, expires_at, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            id, deal.id, deal.product.id, deal.teamPriceCents, deal.teamSize, accountID, expiresAt, now
        )
    }

    /// Takes the next place of a forming team whose window is open. - Returns: the place (1 = the opener), or nil
    /// when the team is full, finished or expired.
    static func takePlace(in teamID: String, now: Int64, in db: any Transaction) throws -> Int64? {
        // Invariant: exactly team_size members — the guard in the UPDATE hands out each place once, whatever the
        // concurrency (PostgreSQL: the row lock orders the joiners).
        try db.scalar(
            """
            UPDATE teams SET member_count = member_count + 1
            WHERE id = ? AND status = 'forming' AND member_count < team_size AND expires_at > ?
            RETURNING member_count
            """,
            teamID, now
        )
    }

    /// - Returns: false when the account is a member already (the primary key decides, also concurrently).
    static func insertMember(
        _ accountID: String, of teamID: String, position: Int64, addressID: String?, now: Int64, in db: any Transaction
    ) throws -> Bool {
        try db.run(
            """
            INSERT INTO team_members (team_id, account_id, position, address_id, joined_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (team_id, account_id) DO NOTHING
            """,
            teamID, accountID, position, addressID, now
        ) == 1
    }

    /// The members of every team the account joined, the account itself included (erasure rewrites their logs).
    static func teammates(of accountID: String, in db: any Transaction) throws -> [String] {
        try db.query(
            """
            SELECT DISTINCT m.account_id FROM team_members m
            WHERE m.team_id IN (SELECT team_id FROM team_members WHERE account_id = ?)
            """,
            accountID
        ).map { $0.string("account_id") }
    }

    static func isMember(_ accountID: String, of teamID: String, in db: any Transaction) throws -> Bool {
        try db.queryOne("SELECT 1 AS one FROM team_members WHERE team_id = ? AND account_id = ?", teamID, accountID) != nil
    }

    /// Moves a forming team to `status`. - Returns: false when it was not forming any more (decided once).
    static func finish(_ teamID: String, as status: Team.Status, now: Int64, in db: any Transaction) throws -> Bool {
        try db.run(
            "UPDATE teams SET status = ?, finished_at = ? WHERE id = ? AND status = 'forming'", status.rawValue, now, teamID
        ) == 1
    }

    static func setOrder(_ orderID: String, of accountID: String, in teamID: String, in db: any Transaction) throws {
        try db.run("UPDATE team_members SET order_id = ? WHERE team_id = ? AND account_id = ?", orderID, teamID, accountID)
    }

    /// Members' ids and chosen addresses, in joining order.
    static func memberAddresses(of teamID: String, in db: any Transaction) throws -> [(accountID: String, addressID: String?)] {
        try db.query("SELECT account_id, address_id FROM team_members WHERE team_id = ? ORDER BY position", teamID).map {
            ($0.string("account_id"), $0.optionalString("address_id"))
        }
    }

    static func team(_ id: String, in db: any Transaction) throws -> Team? {
        guard let row = try db.queryOne(
            """
            SELECT id, deal_id, product_id, team_price_cents, team_size, status, expires_at, created_at
            FROM teams WHERE id = ?
            """,
            id
        ) else { return nil }
        let members = try db.query(
            "SELECT account_id, joined_at, order_id FROM team_members WHERE team_id = ? ORDER BY position", id
        ).map { member in
            Team.Member(
                accountID: member.string("account_id"),
                displayName: Names.firstName(try AccountService.displayName(of: member.string("account_id"), in: db) ?? ""),
                joinedAt: member.int64("joined_at"), orderID: member.optionalString("order_id")
            )
        }
        return Team(
            id: row.string("id"), dealID: row.string("deal_id"), productID: row.string("product_id"),
            teamPriceCents: row.int64("team_price_cents"), teamSize: row.int64("team_size"),
            status: Team.Status(rawValue: row.string("status")) ?? .forming, members: members,
            expiresAt: row.int64("expires_at"), createdAt: row.int64("created_at")
        )
    }

    static func exists(_ id: String, in db: any Transaction) throws -> Bool {
        try db.queryOne("SELECT 1 AS one FROM teams WHERE id = ?", id) != nil
    }

    /// The teams an account joined, the latest joined first.
    static func teams(of accountID: String, page: PageRequest, in db: any Transaction) throws -> Page<Team> {
        let rows = try Keyset.newestFirst(
            """
            SELECT id, created_at
            FROM (SELECT team_id AS id, joined_at AS created_at, account_id FROM team_members) AS m
            """,
            conditions: ["account_id = ?"], arguments: [accountID], page: page, in: db,
            map: { ($0.string("id"), $0.int64("created_at")) }, key: { ($0.1, $0.0) }
        )
        return Page(items: try rows.items.compactMap { try team($0.0, in: db) }, nextCursor: rows.nextCursor)
    }

    /// The team whose completion paid an order, with the team's `created_at` (an attribution touchpoint).
    static func team(paying orderID: String, in db: any Transaction) throws -> (id: String, createdAt: Int64)? {
        try db.queryOne(
            """
            SELECT t.id, t.created_at FROM team_members m JOIN teams t ON t.id = m.team_id WHERE m.order_id = ?
            """,
            orderID
        ).map { ($0.string("id"), $0.int64("created_at")) }
    }

    /// Teams whose counter, members, orders and status disagree (`TeamCheck`).
    static func inconsistentTeams(in db: any Transaction) throws -> Int64 {
        try db.scalar(
            """
            SELECT COUNT(*) FROM (
                SELECT t.status, t.team_size, t.member_count,
                       COUNT(m.account_id) AS members, COUNT(m.order_id) AS ordered
                FROM teams t LEFT JOIN team_members m ON m.team_id = t.id
                GROUP BY t.id
            ) AS t
            WHERE member_count <> members
               OR (status = 'forming' AND member_count >= team_size)
               OR (status = 'completed' AND (member_count <> team_size OR ordered <> members))
               OR (status = 'failed' AND ordered > 0)
            """
        ) ?? 0
    }
}
