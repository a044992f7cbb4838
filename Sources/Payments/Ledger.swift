import Core
import Storage

/// One line of a ledger transaction: money into (positive) or out of (negative) one ledger account.
public struct LedgerEntry: Sendable, Equatable {
    public var account: String
    public var amountCents: Int64
    /// The movement as the account holder sees it: `top_up`, `payment`, `refund`, `transfer_in`, `transfer_out`.
    public var kind: String
    public var reference: String?
    public var note: String?

    public init(account: String, amountCents: Int64, kind: String, reference: String? = nil, note: String? = nil) {
        self.account = account
        self.amountCents = amountCents
        self.kind = kind
        self.reference = reference
        self.note = note
    }
}

/// A wallet's view of one ledger transaction (`GET /v1/wallet/transactions`).
public struct WalletTransaction: Sendable, Equatable {
    public var id: String
    public var kind: String
    public var amountCents: Int64
    public var balanceAfterCents: Int64
    public var reference: String?
    public var note: String?
    public var createdAt: Int64
}

/// The invariants of API.md §5, recomputed from the entries.
public struct LedgerReport: Sendable, Equatable {
    public var sumCents: Int64
    public var transactions: Int64
    public var accounts: Int64
    public var negativeWallets: Int64
    /// Transactions whose own entries do not sum to zero.
    public var unbalancedTransactions: Int64
    /// Accounts whose stored balance differs from the sum of their entries.
    public var balanceMismatches: Int64
    /// Money held in escrow (API.md §13): the escrow account's balance.
    public var escrowCents: Int64 = 0
    /// Holds whose remaining amounts do not add up to the escrow account's balance (0 when exact).
    public var escrowMismatchCents: Int64 = 0

    public var isBalanced: Bool {
        sumCents == 0 && unbalancedTransactions == 0 && balanceMismatches == 0 && escrowMismatchCents == 0
    }
}

/// A transaction whose entries do not sum to zero: a bug, answered with `500` and rolled back.
public struct LedgerImbalance: Error, Sendable {
    public var transactionID: String
}

/// The double-entry ledger; every function runs inside the caller's write transaction.
public enum Ledger {
    public static let cashIn = "platform:cash_in"
    public static let merchantRevenue = "merchant:revenue"
    public static let marketingSpend = "marketing:spend"
    /// Money set aside for team buys, bids and red packets until it is released, paid or claimed.
    public static let escrow = "platform:escrow"
    /// Money paid out of wallets to customers.
    public static let cashOut = "platform:cash_out"
    /// Money owed to a customer who has no wallet any more (an erased account's refund, API.md §24).
    public static let payable = "platform:payable"

    /// The ledger account of a customer's wallet.
    public static func wallet(_ accountID: String) -> String { "wallet:\(accountID)" }

    /// Posts one transaction: updates every balance and records the entries, or throws and changes nothing
    /// that the caller's transaction will keep.
    ///
    /// - Returns: each wallet's balance after the transaction, by ledger account.
    /// - Throws: `402 insufficient_funds` when a wallet would go below zero.
    @discardableResult
    public static func post(
        id: String, kind: String, entries: [LedgerEntry], now: Int64, in db: Connection
    ) throws -> [String: Int64] {
        guard entries.reduce(0, { $0 + $1.amountCents }) == 0 else {
            // A programming error, never a client's: refuse rather than book money out of thin air.
            throw LedgerImbalance(transactionID: id)
        }
        try db.run("INSERT INTO ledger_transactions (id, kind, created_at) VALUES (?, ?, ?)", id, kind, now)
        var balances: [String: Int64] = [:]
        for entry in entries {
            if entry.account.hasPrefix("wallet:") {
                try db.run(
                    "INSERT OR IGNORE INTO ledger_accounts (id, kind, balance_cents, created_at) VALUES (?, 'wallet', 0, ?)",
                    entry.account, now
                )
            }
            // The guard in the UPDATE keeps a wallet from going negative even if two debits were ever checked
            // against the same balance; the table's CHECK constraint backs it up.
            guard
                let row = try db.query(
                    """
                    UPDATE ledger_accounts SET balance_cents = balance_cents + ?
                    WHERE id = ? AND (kind <> 'wallet' OR balance_cents + ? >= 0)
                    RETURNING balance_cents
                    """,
                    entry.amountCents, entry.account, entry.amountCents
                ).first
            else {
                let balance = try db.scalar("SELECT balance_cents FROM ledger_accounts WHERE id = ?", entry.account) ?? 0
                throw PaymentsError.insufficientFunds(balance: balance, needed: -entry.amountCents)
            }
            let after = row.int64("balance_cents")
            balances[entry.account] = after
            try db.run(
                """
                INSERT INTO ledger_entries (transaction_id, ledger_account_id, amount_cents, balance_after_cents, kind,
                    reference, note, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
                id, entry.account, entry.amountCents, after, entry.kind, entry.reference, entry.note, now
            )
        }
        return balances
    }

    /// A ledger account's balance; 0 for a wallet that never moved.
    public static func balance(of account: String, in db: Connection) throws -> Int64 {
        try db.scalar("SELECT balance_cents FROM ledger_accounts WHERE id = ?", account) ?? 0
    }

    /// One wallet's movements, newest first.
    public static func walletTransactions(
        of accountID: String, page: PageRequest, in db: Connection
    ) throws -> Page<WalletTransaction> {
        var sql = """
            SELECT transaction_id, kind, amount_cents, balance_after_cents, reference, note, created_at
            FROM ledger_entries WHERE ledger_account_id = ?
            """
        var arguments: [(any SQLBindable)?] = [wallet(accountID)]
        if let cursor = page.cursor {
            guard let (time, id) = Cursor.decodeTimeAndID(cursor) else { throw Failure.invalid("cursor", "is not a valid cursor") }
            sql += " AND (created_at < ? OR (created_at = ? AND transaction_id < ?))"
            arguments += [time, time, id]
        }
        sql += " ORDER BY created_at DESC, transaction_id DESC LIMIT ?"
        arguments.append(page.limit + 1)
        let items = try db.query(sql, arguments: arguments).map { row in
            WalletTransaction(
                id: row.string("transaction_id"), kind: row.string("kind"), amountCents: row.int64("amount_cents"),
                balanceAfterCents: row.int64("balance_after_cents"), reference: row.optionalString("reference"),
                note: row.optionalString("note"), createdAt: row.int64("created_at")
            )
        }
        return Page(fetched: items, limit: page.limit) { [.int($0.createdAt), .string($0.id)] }
    }

    /// One wallet's view of a transaction it took part in.
    static func walletTransaction(_ id: String, of accountID: String, in db: Connection) throws -> WalletTransaction? {
        try db.queryOne(
            """
            SELECT transaction_id, kind, amount_cents, balance_after_cents, reference, note, created_at
            FROM ledger_entries WHERE transaction_id = ? AND ledger_account_id = ?
            """,
            id, wallet(accountID)
        ).map { row in
            WalletTransaction(
                id: row.string("transaction_id"), kind: row.string("kind"), amountCents: row.int64("amount_cents"),
                balanceAfterCents: row.int64("balance_after_cents"), reference: row.optionalString("reference"),
                note: row.optionalString("note"), createdAt: row.int64("created_at")
            )
        }
    }

    /// Recomputes every balance from the entries (run it in one read transaction: one snapshot).
    public static func check(in db: Connection) throws -> LedgerReport {
        var report = LedgerReport(
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
                )
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
        report.escrowCents = try balance(of: escrow, in: db)
        report.escrowMismatchCents = report.escrowCents - (try Escrow.heldInAll(in: db))
        return report
    }
}
