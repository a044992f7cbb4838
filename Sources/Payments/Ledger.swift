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
        id: String, kind: String, entries: [LedgerEntry], now: Int64, in db: any Transaction
    ) throws -> [String: Int64] {
        guard entries.reduce(0, { $0 + $1.amountCents }) == 0 else {
            // A programming error, never a client's: refuse rather than book money out of thin air.
            throw LedgerImbalance(transactionID: id)
        }
        try LedgerStore.insertTransaction(id, kind: kind, now: now, in: db)
        var balances: [String: Int64] = [:]
        for entry in entries {
            // A debit needs no open: a wallet that never moved has nothing to pay with, and the guarded UPDATE
            // below finds no row and answers insufficient funds, as it would for an opened empty wallet.
            if entry.amountCents >= 0, entry.account.hasPrefix("wallet:") {
                try LedgerStore.openWallet(entry.account, now: now, in: db)
            }
            guard let after = try LedgerStore.addToBalance(entry.amountCents, of: entry.account, in: db) else {
                let balance = try LedgerStore.balance(of: entry.account, in: db)
                throw PaymentsError.insufficientFunds(balance: balance, needed: -entry.amountCents)
            }
            balances[entry.account] = after
            try LedgerStore.insertEntry(entry, of: id, balanceAfter: after, now: now, in: db)
        }
        return balances
    }

    /// A ledger account's balance; 0 for a wallet that never moved.
    public static func balance(of account: String, in db: any Transaction) throws -> Int64 {
        try LedgerStore.balance(of: account, in: db)
    }

    /// One wallet's movements, newest first.
    public static func walletTransactions(
        of accountID: String, page: PageRequest, in db: any Transaction
    ) throws -> Page<WalletTransaction> {
        try LedgerStore.walletTransactions(of: wallet(accountID), page: page, in: db)
    }

    /// One wallet's view of a transaction it took part in.
    static func walletTransaction(_ id: String, of accountID: String, in db: any Transaction) throws -> WalletTransaction? {
        try LedgerStore.walletTransaction(id, of: wallet(accountID), in: db)
    }

    /// Recomputes every balance from the entries (run it in one read transaction: one snapshot).
    public static func check(in db: any Transaction) throws -> LedgerReport {
        var report = try LedgerStore.report(in: db)
        report.escrowCents = try balance(of: escrow, in: db)
        report.escrowMismatchCents = report.escrowCents - (try LedgerStore.heldInAll(in: db))
        return report
    }
}
