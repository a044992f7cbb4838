import Accounts
import Catalog
import Core
import Payments
import Storage

/// Team buys (API.md §20, Pinduoduo-style): a merchant's deal, teams opened and joined with the team price held in
/// escrow and `team_size` units reserved from stock at the opening; the last join completes the team in its own
/// transaction (a paid order per member, the hold becomes the payment), and the scheduler fails a team still forming
/// when its window ends (every hold released, the units back in stock).
public final class TeamService: Sendable {
    /// The scheduler's job that fails a team at the end of its window; its key is the team id.
    public static let expiryJob = "team.expire"
    /// On each member's account stream at every change of the team (API.md §13).
    public static let updatedEvent = "team.updated"

    let database: Database
    let clock: any WallClock
    let ids: IDGenerator
    /// Places the members' orders from their holds.
    let orders: OrderService

    public init(database: Database, clock: any WallClock, ids: IDGenerator, orders: OrderService) {
        self.database = database
        self.clock = clock
        self.ids = ids
        self.orders = orders
    }

    // MARK: - Deals

    /// - Throws: `404` naming `product_id` (unknown or inactive), `400` naming `team_price_cents` unless it is below
    ///   the product's price.
    public func createDeal(_ draft: TeamDealDraft, by merchantID: String) async throws -> TeamDeal {
        let now = clock.now().epochSeconds
        let id = ids.next("tdl")
        return try await database.write { db in
            guard let product = try ProductStore.product(draft.productID, in: db), product.active else {
                throw TeamError.notFound(field: "product_id", what: "Product \(draft.productID)")
            }
            guard draft.teamPriceCents < product.priceCents else {
                throw Failure.invalid("team_price_cents", "must be below the product's price of \(product.priceCents)")
            }
            let deal = TeamDeal(
                id: id, product: product, teamPriceCents: draft.teamPriceCents, teamSize: draft.teamSize,
                windowSeconds: draft.windowSeconds, active: true, createdAt: now
            )
            try TeamStore.insertDeal(deal, createdBy: merchantID, in: db)
            return deal
        }
    }

    /// Any deal, active or not (a team page shows the deal of a team that is still forming). - Throws: `404`.
    public func deal(_ id: String) async throws -> TeamDeal {
        guard let deal = try await database.read({ db in try TeamStore.deal(id, in: db) }) else {
            throw TeamError.dealNotFound(id)
        }
        return deal
    }

    public func deals(includeInactive: Bool, productID: String?, page: PageRequest) async throws -> Page<TeamDeal> {
        try await database.read { db in
            try TeamStore.deals(activeOnly: !includeInactive, productID: productID, page: page, in: db)
        }
    }

    /// Switches a deal on or off; teams already forming go on either way (API.md §24). - Throws: `404`.
    public func setActive(_ id: String, _ active: Bool) async throws -> TeamDeal {
        try await database.write { db in
            guard try TeamStore.deal(id, in: db) != nil else { throw TeamError.dealNotFound(id) }
            try TeamStore.setActive(id, active, in: db)
            return try TeamStore.deal(id, in: db)!
        }
    }

    // MARK: - Teams

    /// Any signed-in account may read a team: an invited friend must see it to join (API.md §24). - Throws: `404`.
    public func team(_ id: String) async throws -> Team {
        guard let team = try await database.read({ db in try TeamStore.team(id, in: db) }) else {
            throw TeamError.teamNotFound(id)
        }
        return team
    }

    /// The teams the account joined (opened ones included), the latest first.
    public func teams(of accountID: String, page: PageRequest) async throws -> Page<Team> {
        try await database.read { db in try TeamStore.teams(of: accountID, page: page, in: db) }
    }

    /// Every team the account joined (its data export).
    public static func teams(of accountID: String, in db: any Transaction) throws -> [Team] {
        var all: [Team] = []
        var page = PageRequest()
        page.limit = 100
        while true {
            let batch = try TeamStore.teams(of: accountID, page: page, in: db)
            all += batch.items
            guard let next = batch.nextCursor else { return all }
            page.cursor = next
        }
    }

    /// ``open(_:addressID:by:now:in:)`` in its own keyed transaction.
    public func open(
        _ dealID: String, addressID: String?, by accountID: String, key: IdempotencyKey?, answering: Answering<Team>
    ) async throws -> Keyed<Team> {
        return try await database.write(keyed: key, clock: clock, answering: answering) { [self] now, db in
            try open(dealID, addressID: addressID, by: accountID, now: now, in: db)
        }
    }

    /// ``join(_:addressID:by:now:in:)`` in its own keyed transaction.
    public func join(
        _ teamID: String, addressID: String?, by accountID: String, key: IdempotencyKey?, answering: Answering<Team>
    ) async throws -> Keyed<Team> {
        return try await database.write(keyed: key, clock: clock, answering: answering) { [self] now, db in
            try join(teamID, addressID: addressID, by: accountID, now: now, in: db)
        }
    }

    /// Opens a team inside the caller's transaction: `team_size` units leave stock, the opener's team
    /// price is held in escrow, and the window starts.
    ///
    /// - Throws: `404` (deal; `address_id`), `409 invalid_state` (deal switched off), `409 out_of_stock`,
    ///   `402 insufficient_funds`.
    public func open(_ dealID: String, addressID: String?, by accountID: String, now: Int64, in db: any Transaction) throws -> Team {
        guard let deal = try TeamStore.deal(dealID, in: db) else { throw TeamError.dealNotFound(dealID) }
        if let addressID { _ = try AddressService.address(addressID, of: accountID, in: db) }
        guard deal.active, deal.product.active else { throw TeamError.dealInactive(dealID) }
        let teamID = ids.next("team")
        // Invariant: no overselling — the units leave stock by ProductStore's guarded UPDATE or the team never opens.
        try ProductStore.takeStock(deal.product.id, quantity: deal.teamSize, now: now, in: db)
        let expiresAt = now + deal.windowSeconds
        try TeamStore.insertTeam(teamID, deal: deal, openedBy: accountID, expiresAt: expiresAt, now: now, in: db)
        try Scheduler.schedule(Self.expiryJob, key: teamID, at: expiresAt, in: db)
        return try admit(accountID, to: teamID, addressID: addressID, now: now, in: db)
    }

    /// Joins a team inside the caller's transaction; the last place completes it in this transaction.
    ///
    /// - Throws: `404` (team; `address_id`), `409 already_joined`, `409 sold_out` (full, finished or past its window),
    ///   `402 insufficient_funds`.
    public func join(_ teamID: String, addressID: String?, by accountID: String, now: Int64, in db: any Transaction) throws -> Team {
        guard try TeamStore.exists(teamID, in: db) else { throw TeamError.teamNotFound(teamID) }
        if let addressID { _ = try AddressService.address(addressID, of: accountID, in: db) }
        return try admit(accountID, to: teamID, addressID: addressID, now: now, in: db)
    }

    /// Takes a place, holds the team price and records the member; completes the team on its last place.
    private func admit(_ accountID: String, to teamID: String, addressID: String?, now: Int64, in db: any Transaction) throws -> Team {
        if try TeamStore.isMember(accountID, of: teamID, in: db) { throw TeamError.alreadyJoined(teamID) }
        guard let position = try TeamStore.takePlace(in: teamID, now: now, in: db) else { throw TeamError.teamClosed(teamID) }
        guard let forming = try TeamStore.team(teamID, in: db) else { throw TeamError.teamNotFound(teamID) }
        // 402 last (API.md §24): a refused hold rolls the place back with the rest of the transaction.
        try Escrow.hold(forming.teamPriceCents, from: accountID, reference: teamID, ids: ids, now: now, in: db)
        guard try TeamStore.insertMember(accountID, of: teamID, position: position, addressID: addressID, now: now, in: db)
        else { throw TeamError.alreadyJoined(teamID) }
        if position == forming.teamSize {
            try complete(teamID, now: now, in: db)
        } else {
            try publish(try TeamStore.team(teamID, in: db)!, now: now, in: db)
        }
        return try TeamStore.team(teamID, in: db)!
    }
}
