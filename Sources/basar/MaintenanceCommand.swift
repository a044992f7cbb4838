import Catalog
import Core
import Coupons
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
            let integrity = try db.integrityProblems()
            let foreignKeys = try db.danglingReferences()
            let ledger = try Ledger.check(in: db)
            let negativeStock = try ProductStore.negativeStockCount(in: db)
            let coupons = try CouponCheck.run(in: db)
            let inconsistentTeams = try TeamCheck.inconsistentTeams(in: db)
            return [
                ("integrity", integrity.isEmpty, integrity.isEmpty ? "ok" : "\(integrity.count) problems"),
                ("foreign_keys", foreignKeys == 0, "\(foreignKeys) dangling references"),
                ("ledger_balanced", ledger.sumCents == 0 && ledger.unbalancedTransactions == 0,
                 "sum \(ledger.sumCents) cents, \(ledger.unbalancedTransactions) unbalanced transactions"),
                ("wallets_match_entries", ledger.balanceMismatches == 0, "\(ledger.balanceMismatches) mismatches"),
                ("escrow_matches_holds", ledger.escrowMismatchCents == 0,
                 "\(ledger.escrowCents) cents in escrow, \(ledger.escrowMismatchCents) not backed by holds"),
                ("no_negative_wallets", ledger.negativeWallets == 0, "\(ledger.negativeWallets) negative"),
                ("no_negative_stock", negativeStock == 0, "\(negativeStock) products"),
                ("coupons_redeemed_once", coupons.redeemedTwice == 0, "\(coupons.redeemedTwice) coupons paid for more than one order"),
                ("campaigns_within_budget", coupons.overBudget == 0, "\(coupons.overBudget) over budget"),
                ("campaign_stats_exact", coupons.miscounted == 0, "\(coupons.miscounted) campaigns miscounted"),
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
