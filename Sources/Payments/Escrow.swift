import Core
import Storage

/// Money held for a team buy, a bid or a red packet (API.md §13): it leaves the wallet as a `hold` line into the
/// ledger's escrow account and stays there until it is released (a `release` line back), paid (to merchant revenue,
/// no wallet line) or claimed (a `red_packet_in` line into another wallet). Every hold is a row whose remaining amount
/// only goes down, and the ledger check proves that the holds' remainders equal the escrow balance.
public enum Escrow {
    /// Holds `amount` of the account's wallet for `reference` (a team, pin or red packet id).
    /// - Returns: the hold's id and the wallet's `hold` line.
    /// - Throws: `402 insufficient_funds`.
    @discardableResult
    public static func hold(
        _ amount: Int64, from accountID: String, reference: String, ids: IDGenerator, now: Int64, in db: any Transaction
    ) throws -> (holdID: String, transaction: WalletTransaction) {
        let transaction = ids.next("txn")
        try Ledger.post(id: transaction, kind: "hold", entries: [
            LedgerEntry(account: Ledger.wallet(accountID), amountCents: -amount, kind: "hold", reference: reference),
            LedgerEntry(account: Ledger.escrow, amountCents: amount, kind: "hold", reference: reference),
        ], now: now, in: db)
        let id = ids.next("hld")
        try LedgerStore.insertHold(id, of: accountID, reference: reference, amount: amount, now: now, in: db)
        return (id, try Ledger.walletTransaction(transaction, of: accountID, in: db)!)
    }

    /// Gives what is left of the account's holds for `reference` back (or `amount` of it). - Returns: the amount.
    @discardableResult
    public static func release(
        reference: String, of accountID: String, amount: Int64? = nil, ids: IDGenerator, now: Int64, in db: any Transaction
    ) throws -> Int64 {
        let released = try LedgerStore.takeFromHolds(reference: reference, of: accountID, amount: amount, in: db)
        guard released > 0 else { return 0 }
        try Ledger.post(id: ids.next("txn"), kind: "release", entries: [
            LedgerEntry(account: Ledger.escrow, amountCents: -released, kind: "release", reference: reference),
            LedgerEntry(account: Ledger.wallet(accountID), amountCents: released, kind: "release", reference: reference),
        ], now: now, in: db)
        return released
    }

    /// Turns `amount` of a hold into a payment: escrow to merchant revenue; the wallet sees no new line.
    public static func capture(
        reference: String, of accountID: String, amount: Int64, paymentID: String, now: Int64, in db: any Transaction
    ) throws {
        guard try LedgerStore.takeFromHolds(reference: reference, of: accountID, amount: amount, in: db) == amount else {
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
        in db: any Transaction
    ) throws -> WalletTransaction {
        let id = ids.next("txn")
        guard try LedgerStore.takeFromHolds(reference: reference, of: sender, amount: amount, in: db) == amount else {
            throw LedgerImbalance(transactionID: id)
        }
        try Ledger.post(id: id, kind: kind, entries: [
            LedgerEntry(account: Ledger.escrow, amountCents: -amount, kind: kind, reference: reference),
            LedgerEntry(account: Ledger.wallet(claimant), amountCents: amount, kind: kind, reference: reference),
        ], now: now, in: db)
        return try Ledger.walletTransaction(id, of: claimant, in: db)!
    }

    /// Money the account has held and not yet released, paid or claimed (erasure waits for it to be 0).
    public static func held(by accountID: String, in db: any Transaction) throws -> Int64 {
        try LedgerStore.held(by: accountID, in: db)
    }

    /// What is left of one hold reference of an account.
    public static func remaining(reference: String, of accountID: String, in db: any Transaction) throws -> Int64 {
        try LedgerStore.remaining(reference: reference, of: accountID, in: db)
    }
}
