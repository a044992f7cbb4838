import Core
import Storage

/// Retention of Payments' records (docs/privacy.md): amounts stay so that the books still balance; the personal
/// parts of records past their statutory period are removed.
extension OrderService {
    /// Booking vouchers (8 years): orders before `cutoff` lose their shipping address, refunds their reason text.
    /// - Returns: how many orders and refunds are affected (changed unless `dryRun`).
    public static func anonymizeVouchers(before cutoff: Int64, dryRun: Bool, in db: Connection) throws -> Int64 {
        let orders = try db.scalar(
            "SELECT COUNT(*) FROM orders WHERE created_at < ? AND shipping_address IS NOT NULL", cutoff
        ) ?? 0
        let refunds = try db.scalar("SELECT COUNT(*) FROM refunds WHERE created_at < ? AND reason <> ''", cutoff) ?? 0
        if !dryRun {
            try db.run("UPDATE orders SET shipping_address = NULL WHERE created_at < ?", cutoff)
            try db.run("UPDATE refunds SET reason = '' WHERE created_at < ?", cutoff)
        }
        return orders + refunds
    }
}

extension Ledger {
    /// The books (10 years): entries before `cutoff` keep their amounts and lose their free text (`note`).
    public static func anonymize(before cutoff: Int64, dryRun: Bool, in db: Connection) throws -> Int64 {
        let count = try db.scalar("SELECT COUNT(*) FROM ledger_entries WHERE created_at < ? AND note IS NOT NULL", cutoff) ?? 0
        if !dryRun { try db.run("UPDATE ledger_entries SET note = NULL WHERE created_at < ?", cutoff) }
        return count
    }
}
