import Core
import Storage

/// Money held for a team buy, a bid or a red packet (API.md §13): it leaves the wallet as a `hold` line into the
/// ledger's escrow account and stays there until it is released (a `release` line back), paid (to merchant revenue,
/// no wallet line) or claimed (a `red_packet_in` line into another wallet). Every hold is a row whose remaining amount
/// only goes down, and the ledger check proves that the holds' remainders equal the escrow balance.
public enum Escrow {
    static let migration = Migration(
        "0405_create_escrow",
        """
        INSERT INTO ledger_accounts (id, kind, balance_cents, created_at) VALUES ('platform:escrow', 'platform', 0, 0);
        CREATE TABLE escrow_holds (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL,
            reference TEXT NOT NULL,
            amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
            remaining_cents INTEGER NOT NULL CHECK (remaining_cents >= 0),
            created_at INTEGER NOT NULL
        );
        CREATE INDEX escrow_holds_by_account ON escrow_holds(account_id) WHERE remaining_cents > 0;
        CREATE INDEX escrow_holds_by_reference ON escrow_holds(reference, account_id);
        """
    )

    /// Holds `amount` of the account's wallet for `reference` (a team, pin or red packet id).
    /// - Returns: the hold's id and the wallet's `hold` line.
    /// - Throws: `402 insufficient_funds`.
    @discardableResult
    public static func hold(
        _ amount: Int64, from accountID: String, reference: String, ids: IDGenerator, now: Int64, in db: Connection
    ) throws -> (holdID: String, transaction: WalletTransaction) {
        let transaction = ids.next("txn")
        try Ledger.post(id: transaction, kind: "hold", entries: [
            LedgerEntry(account: Ledger.wallet(accountID), amountCents: -amount, kind: "hold", reference: reference),
            LedgerEntry(account: Ledger.escrow, amountCents: amount, kind: "hold", reference: reference),
        ], now: now, in: db)
        let id = ids.next("hld")
        try db.run(
            """
            INSERT INTO escrow_holds (id, account_id, reference, amount_cents, remaining_cents, created_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """,
            id, accountID, reference, amount, amount, now
        )
        return (id, try Ledger.walletTransaction(transaction, of: accountID, in: db)!)
    }

    /// Gives what is left of the account's holds for `reference` back (or `amount` of it). - Returns: the amount.
    @discardableResult
    public static func release(
        reference: String, of accountID: String, amount: Int64? = nil, ids: IDGenerator, now: Int64, in db: Connection
    ) throws -> Int64 {
        let released = try take(reference: reference, of: accountID, amount: amount, in: db)
        guard released > 0 else { return 0 }
        try Ledger.post(id: ids.next("txn"), kind: "release", entries: [
            LedgerEntry(account: Ledger.escrow, amountCents: -released, kind: "release", reference: reference),
            LedgerEntry(account: Ledger.wallet(accountID), amountCents: released, kind: "release", reference: reference),
        ], now: now, in: db)
        return released
    }

    /// Turns `amount` of a hold into a payment: escrow to merchant revenue; the wallet sees no new line.
    public static func capture(
        reference: String, of accountID: String, amount: Int64, paymentID: String, now: Int64, in db: Connection
    ) throws {
        guard try take(reference: reference, of: accountID, amount: amount, in: db) == amount else {
            throw LedgerImbalance(transactionID: paymentID)
        }
        try Ledger.post(id: paymentID, kind: "payment", entries: [
            LedgerEntry(account: Ledger.escrow, amountCents: -amount, kind: "payment", reference: reference),
            LedgerEntry(account: Ledger.merchantRevenue, amountCents: amount, kind: "payment", reference: reference),
        ], now: now, in: db)
    }

    /// Moves `amount` of the sender's hold into the claimant's wallet (a red packet's share).
    /// - Returns: the claimant's wallet line.
    public static func transfer(
        reference: String, of sender: String, amount: Int64, to claimant: String, kind: String, ids: IDGenerator, now: Int64,
        in db: Connection
    ) throws -> WalletTransaction {
        let id = ids.next("txn")
        guard try take(reference: reference, of: sender, amount: amount, in: db) == amount else {
            throw LedgerImbalance(transactionID: id)
        }
        try Ledger.post(id: id, kind: kind, entries: [
            LedgerEntry(account: Ledger.escrow, amountCents: -amount, kind: kind, reference: reference),
            LedgerEntry(account: Ledger.wallet(claimant), amountCents: amount, kind: kind, reference: reference),
        ], now: now, in: db)
        return try Ledger.walletTransaction(id, of: claimant, in: db)!
    }

    /// Money the account has held and not yet released, paid or claimed (erasure waits for it to be 0).
    public static func held(by accountID: String, in db: Connection) throws -> Int64 {
        try db.scalar("SELECT COALESCE(SUM(remaining_cents), 0) FROM escrow_holds WHERE account_id = ? AND remaining_cents > 0", accountID) ?? 0
    }

    /// What is left of one hold reference of an account.
    public static func remaining(reference: String, of accountID: String, in db: Connection) throws -> Int64 {
        try db.scalar(
            "SELECT COALESCE(SUM(remaining_cents), 0) FROM escrow_holds WHERE reference = ? AND account_id = ?", reference, accountID
        ) ?? 0
    }

    static func heldInAll(in db: Connection) throws -> Int64 {
        try db.scalar("SELECT COALESCE(SUM(remaining_cents), 0) FROM escrow_holds") ?? 0
    }

    /// Lowers the remaining amounts of the account's holds for `reference`, oldest first. - Returns: what was taken.
    private static func take(reference: String, of accountID: String, amount: Int64?, in db: Connection) throws -> Int64 {
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
