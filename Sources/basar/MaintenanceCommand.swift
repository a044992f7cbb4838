import Core
import Foundation
import Payments
import Storage
import Teams

/// `basar backup` and `basar check`: operations that are safe while the server runs.
enum MaintenanceCommand {
    static let backupHelp = """
        basar backup --to FILE [--db PATH] — copy the database with SQLite's online backup

        Safe while the server runs: the copy is one consistent snapshot. FILE must not exist yet.
        """

    static let checkHelp = """
        basar check [--db PATH] [--json] — verify the database

        Runs SQLite's integrity and foreign-key checks and the business invariants: the ledger balances, every
        wallet equals the sum of its entries and none is negative, no stock is negative, no coupon is redeemed twice,
        no campaign issued more than its budget, and every team's member count matches its members and its status.
        Exit 0 when everything holds, 1 otherwise.
        """

    static func backup(_ args: inout Arguments) async throws {
        if args.flag("help") { print(backupHelp); return }
        let target = try args.required("to")
        guard !FileManager.default.fileExists(atPath: target) else { throw UsageError("\(target) exists already") }
        let database = try await CLI.openDatabase(&args)
        try args.rejectUnknown()
        try await database.backup(to: target)
        database.close()
        print("backed up to \(target)")
    }

    /// Returns the exit code: 0 when every check holds.
    static func check(_ args: inout Arguments) async throws -> Int32 {
        if args.flag("help") { print(checkHelp); return 0 }
        let json = args.flag("json")
        let database = try await CLI.openDatabase(&args)
        try args.rejectUnknown()
        let results: [(String, Bool, String)] = try await database.read { db in
            let integrity = try db.query("PRAGMA integrity_check").map { $0[0] }
            let foreignKeys = try db.query("PRAGMA foreign_key_check").count
            let ledger = try Ledger.check(in: db)
            let negativeStock = try db.scalar("SELECT COUNT(*) FROM products WHERE stock < 0") ?? 0
            let doubleRedeemed = try db.scalar(
                "SELECT COUNT(*) FROM (SELECT coupon_id FROM orders WHERE coupon_id IS NOT NULL GROUP BY coupon_id HAVING COUNT(*) > 1)"
            ) ?? 0
            let overBudget = try db.scalar("SELECT COUNT(*) FROM campaigns WHERE issued + reserved > max_coupons") ?? 0
            let miscounted = try db.scalar(
                """
                SELECT COUNT(*) FROM campaigns c WHERE c.issued <> (SELECT COUNT(*) FROM coupons k WHERE k.campaign_id = c.id)
                   OR c.redeemed <> (SELECT COUNT(*) FROM coupons k WHERE k.campaign_id = c.id AND k.redeemed_order_id IS NOT NULL)
                """
            ) ?? 0
            let inconsistentTeams = try TeamCheck.inconsistentTeams(in: db)
            return [
                ("integrity", integrity == [.text("ok")], integrity.count == 1 ? "ok" : "\(integrity.count) problems"),
                ("foreign_keys", foreignKeys == 0, "\(foreignKeys) dangling references"),
                ("ledger_balanced", ledger.sumCents == 0 && ledger.unbalancedTransactions == 0,
                 "sum \(ledger.sumCents) cents, \(ledger.unbalancedTransactions) unbalanced transactions"),
                ("wallets_match_entries", ledger.balanceMismatches == 0, "\(ledger.balanceMismatches) mismatches"),
                ("escrow_matches_holds", ledger.escrowMismatchCents == 0,
                 "\(ledger.escrowCents) cents in escrow, \(ledger.escrowMismatchCents) not backed by holds"),
                ("no_negative_wallets", ledger.negativeWallets == 0, "\(ledger.negativeWallets) negative"),
                ("no_negative_stock", negativeStock == 0, "\(negativeStock) products"),
                ("coupons_redeemed_once", doubleRedeemed == 0, "\(doubleRedeemed) coupons paid for more than one order"),
                ("campaigns_within_budget", overBudget == 0, "\(overBudget) over budget"),
                ("campaign_stats_exact", miscounted == 0, "\(miscounted) campaigns miscounted"),
                ("teams_consistent", inconsistentTeams == 0, "\(inconsistentTeams) teams whose members, orders or status disagree"),
            ]
        }
        database.close()
        let healthy = results.allSatisfy(\.1)
        if json {
            var members: [(String, JSON)] = [("ok", .bool(healthy))]
            for (name, ok, detail) in results { members.append((name, ["ok": .bool(ok), "detail": .string(detail)])) }
            print(JSON.object(members).serializedString())
        } else {
            for (name, ok, detail) in results { print("\(ok ? "ok  " : "FAIL") \(name): \(detail)") }
        }
        return healthy ? 0 : 1
    }
}
