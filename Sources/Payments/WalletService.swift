import Accounts
import Core
import Storage

/// Wallets: balance, statement, top-ups and transfers (API.md §5).
///
/// Each write runs in its own keyed transaction (API.md §1), or inside a caller's transaction for features that
/// compose it with their own work.
public final class WalletService: Sendable {
    public static let topUpRange: ClosedRange<Int64> = 100...100_000
    public static let transferRange: ClosedRange<Int64> = 1...100_000_000

    private let database: Database
    private let ids: IDGenerator
    private let clock: any WallClock
    private let methods: [String: any PaymentMethod]

    /// - Parameter methods: the payment methods top-ups accept, by `name`; `sandbox` by default.
    public init(
        database: Database, ids: IDGenerator, clock: any WallClock, methods: [any PaymentMethod] = [SandboxPaymentMethod()]
    ) {
        self.database = database
        self.ids = ids
        self.clock = clock
        var byName: [String: any PaymentMethod] = [:]
        for method in methods { byName[method.name] = method }
        self.methods = byName
    }

    /// The names a top-up's `method` may take.
    public var methodNames: [String] { methods.keys.sorted() }

    public func balance(of accountID: String) async throws -> Int64 {
        try await database.read { db in try Ledger.balance(of: Ledger.wallet(accountID), in: db) }
    }

    public func transactions(of accountID: String, page: PageRequest) async throws -> Page<WalletTransaction> {
        try await database.read { db in try Ledger.walletTransactions(of: accountID, page: page, in: db) }
    }

    /// The balance and the newest `recent` movements on one snapshot, so the two always agree (an agent's view of
    /// a customer's wallet, API.md §18 addition).
    public func glance(of accountID: String, recent: Int) async throws -> (balanceCents: Int64, recent: [WalletTransaction]) {
        try await database.read { db in
            let balance = try Ledger.balance(of: Ledger.wallet(accountID), in: db)
            let page = try Ledger.walletTransactions(of: accountID, page: PageRequest(limit: recent), in: db)
            return (balance, page.items)
        }
    }

    /// The ledger invariants, recomputed on one snapshot.
    public func check() async throws -> LedgerReport {
        try await database.read { db in try Ledger.check(in: db) }
    }

    // MARK: - Keyed writes

    /// ``topUp(_:method:for:now:in:)`` in its own keyed transaction.
    public func topUp(
        _ amountCents: Int64, method: String, for accountID: String, key: IdempotencyKey?,
        answering: Answering<WalletTransaction>
    ) async throws -> Keyed<WalletTransaction> {
        try await database.write(keyed: key, clock: clock, answering: answering) { [self] now, db in
            try topUp(amountCents, method: method, for: accountID, now: now, in: db)
        }
    }

    /// ``payout(_:for:now:in:)`` in its own keyed transaction.
    public func payout(
        _ amountCents: Int64, for accountID: String, key: IdempotencyKey?, answering: Answering<WalletTransaction>
    ) async throws -> Keyed<WalletTransaction> {
        try await database.write(keyed: key, clock: clock, answering: answering) { [self] now, db in
            try payout(amountCents, for: accountID, now: now, in: db)
        }
    }

    /// ``transfer(_:from:to:note:now:in:)`` in its own keyed transaction.
    public func transfer(
        _ amountCents: Int64, from sender: String, to recipient: String, note: String?, key: IdempotencyKey?,
        answering: Answering<WalletTransaction>
    ) async throws -> Keyed<WalletTransaction> {
        try await database.write(keyed: key, clock: clock, answering: answering) { [self] now, db in
            try transfer(amountCents, from: sender, to: recipient, note: note, now: now, in: db)
        }
    }

    // MARK: - In a caller's transaction

    /// Charges a payment method and credits the wallet; debits the platform's cash-in.
    ///
    /// - Throws: `400` for an unknown method, `402 payment_declined` when the method refuses.
    public func topUp(
        _ amountCents: Int64, method name: String, for accountID: String, now: Int64, in db: any Transaction
    ) throws -> WalletTransaction {
        guard let method = methods[name] else { throw PaymentsError.unknownPaymentMethod(name) }
        let id = ids.next("txn")
        let approval = try method.charge(amountCents: amountCents, accountID: accountID, transactionID: id)
        try Ledger.post(
            id: id, kind: "top_up",
            entries: [
                LedgerEntry(account: Ledger.wallet(accountID), amountCents: amountCents, kind: "top_up"),
                LedgerEntry(account: Ledger.cashIn, amountCents: -amountCents, kind: "top_up", note: approval),
            ],
            now: now, in: db
        )
        return try Ledger.walletTransaction(id, of: accountID, in: db)!
    }

    /// Pays money out of the wallet to the customer (sandbox: nothing leaves for real), so an account can empty
    /// its wallet before erasure (API.md §24).
    ///
    /// - Throws: `402 insufficient_funds` beyond the balance.
    public func payout(_ amountCents: Int64, for accountID: String, now: Int64, in db: any Transaction) throws -> WalletTransaction {
        let id = ids.next("txn")
        try Ledger.post(
            id: id, kind: "payout",
            entries: [
                LedgerEntry(account: Ledger.wallet(accountID), amountCents: -amountCents, kind: "payout"),
                LedgerEntry(account: Ledger.cashOut, amountCents: amountCents, kind: "payout"),
            ],
            now: now, in: db
        )
        return try Ledger.walletTransaction(id, of: accountID, in: db)!
    }

    /// Moves money from one wallet to another (the "red packet").
    ///
    /// - Throws: `400` to oneself, `404` for an unknown recipient (naming `to_account_id`), `402 insufficient_funds`.
    public func transfer(
        _ amountCents: Int64, from sender: String, to recipient: String, note: String?, now: Int64, in db: any Transaction
    ) throws -> WalletTransaction {
        guard sender != recipient else { throw Failure.invalid("to_account_id", "cannot be your own account") }
        guard try AccountService.exists(recipient, in: db) else { throw PaymentsError.accountNotFound(field: "to_account_id") }
        let id = ids.next("txn")
        try Ledger.post(
            id: id, kind: "transfer",
            entries: [
                LedgerEntry(
                    account: Ledger.wallet(sender), amountCents: -amountCents, kind: "transfer_out", reference: recipient,
                    note: note
                ),
                LedgerEntry(
                    account: Ledger.wallet(recipient), amountCents: amountCents, kind: "transfer_in", reference: sender,
                    note: note
                ),
            ],
            now: now, in: db
        )
        return try Ledger.walletTransaction(id, of: sender, in: db)!
    }
}
