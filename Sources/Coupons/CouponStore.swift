import Core
import Storage

/// A generated code and, once claimed, the coupon it became.
public struct CampaignCode: Sendable, Equatable {
    public var code: String
    public var campaignID: String
    public var couponID: String?
    public var createdAt: Int64

    public var isClaimed: Bool { couponID != nil }
}

/// The coupon module's SQL: lists, status changes, codes and claims; campaigns and coupons in `CouponStore+Campaigns`.
enum CouponStore {
    // MARK: - Lists (newest first by a keyset cursor, API.md §1)

    static func campaigns(page: PageRequest, in db: any Transaction) throws -> Page<Campaign> {
        try Keyset.newestFirst(
            "SELECT * FROM campaigns", conditions: [], arguments: [], page: page, in: db, map: campaign(from:),
            key: { ($0.createdAt, $0.id) }
        )
    }

    static func coupons(accountID: String, page: PageRequest, in db: any Transaction) throws -> Page<Coupon> {
        try Keyset.newestFirst(
            couponSelect, conditions: ["k.account_id = ?"], arguments: [accountID], timeColumn: "k.created_at",
            idColumn: "k.id", page: page, in: db, map: coupon(from:), key: { ($0.createdAt, $0.id) }
        )
    }

    static func codes(campaignID: String, page: PageRequest, in db: any Transaction) throws -> Page<CampaignCode> {
        try Keyset.newestFirst(
            "SELECT code, campaign_id, coupon_id, created_at FROM campaign_codes", conditions: ["campaign_id = ?"],
            arguments: [campaignID], idColumn: "code", page: page, in: db, map: code(from:),
            key: { ($0.createdAt, $0.code) }
        )
    }

    static func code(from row: Row) -> CampaignCode {
        CampaignCode(
            code: row.string("code"), campaignID: row.string("campaign_id"), couponID: row.optionalString("coupon_id"),
            createdAt: row.int64("created_at")
        )
    }

    // MARK: - Writing

    static func setStatus(_ status: CampaignStatus, of id: String, in db: any Transaction) throws {
        try db.run("UPDATE campaigns SET status = ? WHERE id = ?", status.rawValue, id)
    }

    /// Inserts `count` fresh random codes in the caller's transaction and returns them.
    ///
    /// The whole batch is one transaction (one fsync), and rows go in 5,000 at a time as one JSON array argument
    /// through one cached statement, so 100,000 codes cost 20 statement executions. A chunk that meets an existing code (rare:
    /// the pattern has 1000× more room than codes) is rolled back to its savepoint and inserted row by row, drawing
    /// again for each collision.
    static func insertRandomCodes(
        _ pattern: CodePattern, count: Int64, campaignID: String, now: Int64, in db: any Transaction
    ) throws -> [String] {
        let existing = try db.scalar("SELECT codes FROM campaign_code_patterns WHERE pattern = ?", pattern.text) ?? 0
        try pattern.checkRoom(existing: existing, count: count)
        var generator = CodePattern.Generator(pattern)
        var drawn = Set<String>(minimumCapacity: Int(count))
        while drawn.count < count { drawn.insert(generator.next()) }
        // Sorted, the inserts walk both B-trees in key order, so each page is loaded and written about once instead
        // of once per row: several times faster for large batches than random order.
        let sorted = drawn.sorted()
        var codes: [String] = []
        codes.reserveCapacity(Int(count))
        var start = 0
        while start < sorted.count {
            let chunk = sorted[start..<min(start + chunkSize, sorted.count)]
            start += chunk.count
            let inserted = try? db.savepoint { () throws -> Bool in
                guard try insertChunk(chunk, campaignID: campaignID, now: now, in: db) == chunk.count else {
                    throw Failure.invalidState("collision")
                }
                return true
            }
            if inserted == nil {
                for code in chunk { codes.append(try insertOne(code, &generator, &drawn, campaignID: campaignID, now: now, in: db)) }
            } else {
                codes += chunk
            }
        }
        try db.run(
            """
            INSERT INTO campaign_code_patterns (pattern, codes) VALUES (?, ?)
            ON CONFLICT (pattern) DO UPDATE SET codes = campaign_code_patterns.codes + excluded.codes
            """,
            pattern.text, count
        )
        return codes
    }

    /// One argument whatever the chunk's size: a statement per 300 codes (SQLite's old limit of 999 parameters)
    /// cost PostgreSQL a round trip and a parse of 900 parameters each, 100,000 codes over 20 s under load.
    static let chunkSize = 5_000

    /// Inserts a chunk of codes, skipping taken ones; returns how many were new.
    private static func insertChunk(
        _ chunk: ArraySlice<String>, campaignID: String, now: Int64, in db: any Transaction
    ) throws -> Int {
        // `WHERE true`: SQLite's parser needs it between an INSERT's SELECT and ON CONFLICT
        // (https://sqlite.org/lang_upsert.html, "Parsing Ambiguity").
        try db.run(
            """
            INSERT INTO campaign_codes (code, campaign_id, created_at)
            SELECT value, ?, ? FROM (\(db.dialect.jsonArrayValues)) AS chunk WHERE true ON CONFLICT (code) DO NOTHING
            """,
            campaignID, now, JSON.array(chunk.map(JSON.string)).serializedString()
        )
    }

    /// Invariant: a code exists once — its primary key skips a taken one, under any concurrency.
    static let insertCode =
        "INSERT INTO campaign_codes (code, campaign_id, created_at) VALUES (?, ?, ?) ON CONFLICT (code) DO NOTHING"

    /// Inserts `code`, or a fresh draw for each collision with an existing code.
    private static func insertOne(
        _ code: String, _ generator: inout CodePattern.Generator, _ drawn: inout Set<String>, campaignID: String,
        now: Int64, in db: any Transaction
    ) throws -> String {
        var candidate = code
        for _ in 0..<32 {
            if try db.run(insertCode, candidate, campaignID, now) == 1 { return candidate }
            repeat { candidate = generator.next() } while !drawn.insert(candidate).inserted
        }
        // With the 1000× margin a collision has a chance below 1/1000; 32 in a row means something is wrong.
        throw Failure.invalidState("Could not find a free code for this pattern")
    }

    /// Inserts codes chosen by hand (demo data).
    ///
    /// - Throws: `409 invalid_state` when a code exists already.
    static func insertCodes(_ codes: [String], campaignID: String, now: Int64, in db: any Transaction) throws {
        for code in codes {
            guard try db.run(insertCode, code, campaignID, now) == 1 else {
                throw Failure.invalidState("The code \(code) exists already")
            }
        }
    }

    static func code(_ code: String, in db: any Transaction) throws -> CampaignCode? {
        try db.queryOne("SELECT code, campaign_id, coupon_id, created_at FROM campaign_codes WHERE code = ?", code)
            .map(code(from:))
    }

    /// Links a claimed code to its coupon; false when someone claimed it first.
    static func markClaimed(_ code: String, couponID: String, in db: any Transaction) throws -> Bool {
        try db.run(
            "UPDATE campaign_codes SET coupon_id = ? WHERE code = ? AND coupon_id IS NULL", couponID, code
        ) == 1
    }

    /// Coupons paid for twice, campaigns over budget, campaigns whose counters disagree with their coupons (`CouponCheck`).
    static func invariantBreaches(in db: any Transaction) throws -> CouponCheck.Report {
        let redeemedTwice = try db.scalar(
            """
            SELECT COUNT(*) FROM (
                SELECT coupon_id FROM orders WHERE coupon_id IS NOT NULL GROUP BY coupon_id HAVING COUNT(*) > 1
            ) AS t
            """
        ) ?? 0
        let overBudget = try db.scalar("SELECT COUNT(*) FROM campaigns WHERE issued + reserved > max_coupons") ?? 0
        let miscounted = try db.scalar(
            """
            SELECT COUNT(*) FROM campaigns c WHERE c.issued <> (SELECT COUNT(*) FROM coupons k WHERE k.campaign_id = c.id)
               OR c.redeemed <> (SELECT COUNT(*) FROM coupons k WHERE k.campaign_id = c.id AND k.redeemed_order_id IS NOT NULL)
            """
        ) ?? 0
        return CouponCheck.Report(redeemedTwice: redeemedTwice, overBudget: overBudget, miscounted: miscounted)
    }
}
