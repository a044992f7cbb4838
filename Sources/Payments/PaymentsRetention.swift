import Core
import Storage

/// Retention of Payments' records (docs/privacy.md): amounts stay so that the books still balance; the personal
/// parts of records past their statutory period are removed.
extension OrderService {
    /// Booking vouchers (8 years): orders before `cutoff` lose their shipping address, refunds their reason text.
    /// - Returns: how many orders and refunds are affected (changed unless `dryRun`).
    public static func anonymizeVouchers(before cutoff: Int64, dryRun: Bool, in db: any Transaction) throws -> Int64 {
        try OrderStore.anonymizeVouchers(before: cutoff, dryRun: dryRun, in: db)
    }
}

extension Ledger {
    /// The books (10 years): entries before `cutoff` keep their amounts and lose their free text (`note`).
    public static func anonymize(before cutoff: Int64, dryRun: Bool, in db: any Transaction) throws -> Int64 {
        try LedgerStore.anonymizeNotes(before: cutoff, dryRun: dryRun, in: db)
    }
}
