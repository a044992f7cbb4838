import Core
import Storage

/// The SQL of the double-entry ledger: accounts, transactions, entries (escrow holds in `LedgerStore+Escrow`).
enum LedgerStore {
    // MARK: - Posting

    static func insertTransaction(_ id: String, kind: String, now: Int64, in db: any Transaction) throws {
        try db.run("INSERT INTO ledger_transactions (id, kind, created_at) VALUES (?, ?, ?)", id, kind, now)
    }

    /// Opens a wallet's ledger account at 0 the first time money moves for it; an open one stays as it is.
    static func openWallet(_ account: String, now: Int64, in db: any Transaction) throws {
        try db.run(
            """
            INSERT INTO ledger_accounts (id, kind, balance_cents, created_at) VALUES (?, 'wallet', 0, ?)
            ON CONFLICT (id) DO NOTHING
            """,
            account, now
        )
    }

    /// Adds `amount` (negative for a debit) to an account's balance.
    /// - Returns: the balance after, or nil when a wallet would go below zero (nothing changed then).
    static func addToBalance(_ amount: Int64, of account: String, in db: any Transaction) throws -> Int64? {
        // Invariant: a wallet never goes negative. The guard in the UPDATE holds even if two debits were ever
        // checked against the same balance; the table's CHECK constraint backs it up.
        try db.query(
            """
            UPDATE ledger_accounts SET balance_cents = balance_cents + ?
            WHERE id = ? AND (kind <> 'wallet' OR balance_cents + ? >= 0)
            RETURNING balance_cents
            """,
            amount, account, amount
        ).first?.int64("balance_cents")
    }

    static func insertEntry(
        _ entry: LedgerEntry, of transactionID: String, balanceAfter: Int64, now: Int64, in db: any Transaction
    ) throws {
        try db.run(
            """
            INSERT INTO ledger_entries (transaction_id, ledger_account_id, amount_cents, balance_after_cents, kind,
                reference, note, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            transactionID, entry.account, entry.amountCents, balanceAfter, entry.kind, entry.reference, entry.note, now
        )
    }

    // MARK: - Reading

    /// A ledger account's balance; 0 for one that does not exist (a wallet that never moved).
    static func balance(of account: String, in db: any Transaction) throws -> Int64 {
        try db.scalar("SELECT balance_cents FROM ledger_accounts WHERE id = ?", account) ?? 0
    }

    static let walletColumns = "transaction_id, kind, amount_cents, balance_after_cents, reference, note, created_at"

    /// One ledger account's entries as wallet lines, newest first (equal times by transaction id, API.md §12).
    static func walletTransactions(
        of account: String, page: PageRequest, in db: any Transaction
    ) throws -> Page<WalletTransaction> {
        try Keyset.newestFirst(
            "SELECT \(walletColumns) FROM ledger_entries", conditions: ["ledger_account_id = ?"], arguments: [account],
            idColumn: "transaction_id", page: page, in: db, map: walletTransaction(from:),
            key: { ($0.createdAt, $0.id) }
        )
    }

    /// The ledger account's line of one transaction.
    static func walletTransaction(_ id: String, of account: String, in db: any Transaction) throws -> WalletTransaction? {
        try db.queryOne(
            "SELECT \(walletColumns) FROM ledger_entries WHERE transaction_id = ? AND ledger_account_id = ?", id, account
        ).map(walletTransaction(from:))
    }

    private static func walletTransaction(from row: Row) -> WalletTransaction {
        WalletTransaction(
            id: row.string("transaction_id"), kind: row.string("kind"), amountCents: row.int64("amount_cents"),
            balanceAfterCents: row.int64("balance_after_cents"), reference: row.optionalString("reference"),
            note: row.optionalString("note"), createdAt: row.int64("created_at")
        )
    }

    /// The ledger's invariants recomputed from the entries; the escrow figures are left at 0 for the caller.
    static func report(in db: any Transaction) throws -> LedgerReport {
        LedgerReport(
            sumCents: try db.scalar("SELECT COALESCE(SUM(amount_cents), 0) FROM ledger_entries") ?? 0,
            transactions: try db.scalar("SELECT COUNT(*) FROM ledger_transactions") ?? 0,
            accounts: try db.scalar("SELECT COUNT(*) FROM ledger_accounts") ?? 0,
            negativeWallets: try db.scalar(
                "SELECT COUNT(*) FROM ledger_accounts WHERE kind = 'wallet' AND balance_cents < 0"
            ) ?? 0,
            unbalancedTransactions: try db.scalar(
                """
                SELECT COUNT(*) FROM (
                    SELECT t.id FROM ledger_transactions t LEFT JOIN ledger_entries e ON e.transaction_id = t.id
                    GROUP BY t.id HAVING COALESCE(SUM(e.amount_cents), 0) <> 0
                ) AS t
                """
            ) ?? 0,
            balanceMismatches: try db.scalar(
                """
                SELECT COUNT(*) FROM ledger_accounts a
                WHERE a.balance_cents <> (
                    SELECT COALESCE(SUM(amount_cents), 0) FROM ledger_entries e WHERE e.ledger_account_id = a.id
                )
                """
            ) ?? 0
        )
    }

    // MARK: - Retention

    /// Entries before `cutoff` lose their free text (`note`). - Returns: how many are affected.
    static func anonymizeNotes(before cutoff: Int64, dryRun: Bool, in db: any Transaction) throws -> Int64 {
        let count = try db.scalar("SELECT COUNT(*) FROM ledger_entries WHERE created_at < ? AND note IS NOT NULL", cutoff) ?? 0
        if !dryRun { try db.run("UPDATE ledger_entries SET note = NULL WHERE created_at < ?", cutoff) }
        return count
    }
}
