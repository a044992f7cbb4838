import Core
import Storage

/// Campaigns, codes and claims (API.md §7), used by the API routes and the `basar campaign` CLI alike, so that
/// validation and code generation exist once.
///
/// Issuing and redeeming go through ``CouponEngine``, whose functions run inside a caller's transaction; the
/// `in db:` functions here follow the same shape for routes that wrap their work (idempotent claims).
public final class CouponService: Sendable {
    private let database: Database
    private let clock: any WallClock
    private let ids: IDGenerator

    public init(database: Database, clock: any WallClock, ids: IDGenerator) {
        self.database = database
        self.clock = clock
        self.ids = ids
    }

    // MARK: - Campaigns

    /// Creates an active campaign, and with `codeCount` also its first codes, in one transaction.
    ///
    /// - Parameters:
    ///   - draft: the merchant's input, validated here.
    ///   - codeCount: codes to generate at once (the CLI's `--codes`); `nil` for none.
    ///   - pattern: their pattern; `nil` for ``CodePattern/defaultPattern``.
    /// - Returns: the campaign and the generated codes.
    /// - Throws: `400 invalid_request` naming the field (`pattern` too), `409 key_taken`; nothing is created then.
    public func createCampaign(
        _ draft: CampaignDraft, codeCount: Int64? = nil, pattern: String? = nil
    ) async throws -> (campaign: Campaign, codes: [String]) {
        let draft = try CouponRules.validated(draft)
        let parsedPattern = try codeCount.map { count -> CodePattern in
            try Self.checkCount(count)
            return try CodePattern(pattern)
        }
        let id = ids.next("cmp")
        let now = clock.now().epochSeconds
        return try await database.write { db in
            let campaign = try Self.createCampaign(draft, id: id, now: now, in: db)
            guard let parsedPattern, let codeCount else { return (campaign, []) }
            let codes = try CouponStore.insertRandomCodes(
                parsedPattern, count: codeCount, campaignID: id, now: now, in: db
            )
            return (campaign, codes)
        }
    }

    /// Inserts a validated campaign inside the caller's transaction.
    ///
    /// - Throws: `400 invalid_request`, `409 key_taken`.
    public static func createCampaign(_ draft: CampaignDraft, id: String, now: Int64, in db: any Transaction) throws -> Campaign {
        let draft = try CouponRules.validated(draft)
        let campaign = Campaign(
            id: id, key: draft.key, name: draft.name, discount: draft.discount, minSpendCents: draft.minSpendCents,
            maxDiscountCents: draft.maxDiscountCents, validFrom: draft.validFrom, validUntil: draft.validUntil,
            maxCoupons: draft.maxCoupons, perAccountLimit: draft.perAccountLimit, status: .active, createdAt: now
        )
        try CouponEngine.insert(campaign, in: db)
        return campaign
    }

    /// A campaign with its current stats.
    ///
    /// - Throws: `404 not_found`.
    public func campaign(_ id: String) async throws -> Campaign {
        let campaign = try await database.read { db in try CouponEngine.campaign(id, in: db) }
        guard let campaign else { throw CouponError.campaignNotFound(id) }
        return campaign
    }

    /// A campaign named by its id or, failing that, by its key (the CLI's `campaign show KEY`).
    ///
    /// - Throws: `404 not_found`.
    public func campaign(idOrKey: String) async throws -> Campaign {
        let campaign = try await database.read { db in
            try CouponEngine.campaign(idOrKey, in: db) ?? CouponEngine.campaign(key: idOrKey, in: db)
        }
        guard let campaign else { throw CouponError.campaignNotFound(idOrKey) }
        return campaign
    }

    /// One page of all campaigns, newest first.
    ///
    /// - Throws: `400` for a cursor of another list.
    public func campaigns(page: PageRequest) async throws -> Page<Campaign> {
        try await database.read { db in try CouponStore.campaigns(page: page, in: db) }
    }

    /// Pauses, resumes or ends a campaign; an ended campaign stays ended.
    ///
    /// - Throws: `404 not_found`, `409 invalid_state` when reactivating an ended campaign.
    public func setStatus(_ status: CampaignStatus, of id: String) async throws -> Campaign {
        try await database.write { db in
            guard var campaign = try CouponEngine.campaign(id, in: db) else { throw CouponError.campaignNotFound(id) }
            try CouponRules.checkTransition(from: campaign.status, to: status, campaignID: id)
            if campaign.status != status {
                try CouponStore.setStatus(status, of: id, in: db)
                campaign.status = status
            }
            return campaign
        }
    }

    // MARK: - Codes

    /// Generates `count` unique random codes for a campaign in one transaction.
    ///
    /// - Parameters:
    ///   - pattern: `#` a digit 2–9, `?` a letter without I, L, O; `nil` for `????-####-????`.
    /// - Returns: the codes, upper-case.
    /// - Throws: `404 not_found`, `400 invalid_request` naming `count` or `pattern` (also a pattern without room).
    public func generateCodes(campaignID: String, count: Int64, pattern: String?) async throws -> [String] {
        try Self.checkCount(count)
        let parsed = try CodePattern(pattern)
        let now = clock.now().epochSeconds
        return try await database.write { db in
            guard try CouponEngine.campaign(campaignID, in: db) != nil else {
                throw CouponError.campaignNotFound(campaignID)
            }
            return try CouponStore.insertRandomCodes(parsed, count: count, campaignID: campaignID, now: now, in: db)
        }
    }

    /// Adds codes chosen by hand, such as the demo's welcome codes; they are stored upper-case.
    ///
    /// - Throws: `404 not_found`, `400` for a code of characters other than letters, digits, `-`, `_`, `.`,
    ///   `409 invalid_state` when a code exists already.
    public func addCodes(_ codes: [String], campaignID: String) async throws {
        let normalized = try codes.map { code -> String in
            let upper = CouponRules.normalizedCode(code)
            guard try CodePattern(upper).space == 1 else { throw Failure.invalid("code", "\(code) is not a plain code") }
            return upper
        }
        let now = clock.now().epochSeconds
        try await database.write { db in
            guard try CouponEngine.campaign(campaignID, in: db) != nil else {
                throw CouponError.campaignNotFound(campaignID)
            }
            try CouponStore.insertCodes(normalized, campaignID: campaignID, now: now, in: db)
        }
    }

    /// One page of a campaign's codes, newest first.
    ///
    /// - Throws: `404 not_found`, `400` for a bad cursor.
    public func codes(campaignID: String, page: PageRequest) async throws -> Page<CampaignCode> {
        try await database.read { db in
            guard try CouponEngine.campaign(campaignID, in: db) != nil else {
                throw CouponError.campaignNotFound(campaignID)
            }
            return try CouponStore.codes(campaignID: campaignID, page: page, in: db)
        }
    }

    static func checkCount(_ count: Int64) throws {
        guard CouponRules.codeCountRange.contains(count) else { throw Failure.invalid("count", "must be from 1 to 100000") }
    }

    // MARK: - Claims and coupons

    /// ``claim(code:accountID:now:in:)`` in its own keyed transaction.
    public func claim(code: String, accountID: String, key: IdempotencyKey?, answering: Answering<Coupon>) async throws -> Keyed<Coupon> {
        return try await database.write(keyed: key, clock: clock, answering: answering) { [self] now, db in
            try claim(code: code, accountID: accountID, now: now, in: db)
        }
    }

    /// Claims a code for `accountID` inside the caller's transaction.
    ///
    /// - Parameters:
    ///   - code: as typed; white space and letter case are ignored.
    /// - Returns: the new coupon, with source `code`.
    /// - Throws: `404 not_found` (unknown code), `409 already_claimed`, `409 limit_reached`, `409 sold_out`,
    ///   `422 coupon_invalid` with reason `paused`, `ended`, `expired` or `not_yet_valid`.
    public func claim(code: String, accountID: String, now: Int64, in db: any Transaction) throws -> Coupon {
        let normalized = CouponRules.normalizedCode(code)
        guard let entry = try CouponStore.code(normalized, in: db) else { throw CouponError.codeNotFound }
        guard !entry.isClaimed else { throw CouponError.alreadyClaimed }
        let coupon = try CouponEngine.issue(
            campaignID: entry.campaignID, to: accountID, source: .code, code: entry.code, id: ids.next("cpn"),
            now: now, in: db
        )
        guard try CouponStore.markClaimed(entry.code, couponID: coupon.id, in: db) else { throw CouponError.alreadyClaimed }
        return coupon
    }

    /// One page of an account's coupons, newest first.
    public func coupons(accountID: String, page: PageRequest) async throws -> Page<Coupon> {
        try await database.read { db in try CouponStore.coupons(accountID: accountID, page: page, in: db) }
    }
}
