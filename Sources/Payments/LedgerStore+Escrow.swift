import Core
import Storage

/// The SQL of escrow holds (API.md §13): one row per hold, whose remaining amount only goes down.
extension LedgerStore {
    static func insertHold(
        _ id: String, of accountID: String, reference: String, amount: Int64, now: Int64, in db: any Transaction
    ) throws {
        try db.run(
            """
            INSERT INTO escrow_holds (id, account_id, reference, amount_cents, remaining_cents, created_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """,
            id, accountID, reference, amount, amount, now
        )
    }

    /// Money the account has held and not yet released, paid or claimed.
    static func held(by accountID: String, in db: any Transaction) throws -> Int64 {
        try db.scalar("SELECT COALESCE(SUM(remaining_cents), 0) FROM escrow_holds WHERE account_id = ? AND remaining_cents > 0", accountID) ?? 0
    }

    /// What is left of one hold reference of an account.
    static func remaining(reference: String, of accountID: String, in db: any Transaction) throws -> Int64 {
        try db.scalar(
            "SELECT COALESCE(SUM(remaining_cents), 0) FROM escrow_holds WHERE reference = ? AND account_id = ?", reference, accountID
        ) ?? 0
    }

    /// What every hold has left: the escrow account's balance when the books are right.
    static func heldInAll(in db: any Transaction) throws -> Int64 {
        try db.scalar("SELECT COALESCE(SUM(remaining_cents), 0) FROM escrow_holds") ?? 0
    }

    /// Lowers the remaining amounts of the account's holds for `reference` by up to `amount` (all of them when nil),
    /// oldest first. - Returns: what was taken.
    static func takeFromHolds(reference: String, of accountID: String, amount: Int64?, in db: any Transaction) throws -> Int64 {
        var wanted = amount ?? Int64.max
        var taken: Int64 = 0
        let holds = try db.query(
            "SELECT id, remaining_cents FROM escrow_holds WHERE reference = ? AND account_id = ? AND remaining_cents > 0 ORDER BY created_at, id",
            reference, accountID
        )
        for row in holds where wanted > 0 {
            let part = min(wanted, row.int64("remaining_cents"))
            // Invariant: a hold never goes below zero — the guard holds whatever the concurrency.
            guard try db.run(
                "UPDATE escrow_holds SET remaining_cents = remaining_cents - ? WHERE id = ? AND remaining_cents >= ?",
                part, row.string("id"), part
            ) == 1 else { continue }
            taken += part
            wanted -= part
        }
        return taken
    }
}
