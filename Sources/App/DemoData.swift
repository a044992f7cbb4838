import API
import Accounts
import Core
import Foundation
import Storage

/// Loads `Fixtures/` into an empty database for `basar serve --demo`.
public enum DemoData {
    public static func load(from directory: URL, into services: Services, logger: Logger) async throws {
        let alreadyLoaded = try await services.database.read { db in try AccountService.hasAccounts(in: db) }
        guard !alreadyLoaded else {
            logger.info("demo data skipped: the database is not empty")
            return
        }
        let accountsFile = directory.appendingPathComponent("demo/accounts.json")
        let json = try JSONParser.parse(Array(try Data(contentsOf: accountsFile)))
        var accountIDs: [String] = []
        for entry in json.arrayValue ?? [] {
            guard let email = entry["email"]?.stringValue, let password = entry["password"]?.stringValue,
                  let name = entry["display_name"]?.stringValue
            else { continue }
            let (account, _) = try await services.accounts.register(email: email, password: password, displayName: name)
            accountIDs.append(account.id)
            for role in entry["roles"]?.arrayValue ?? [] {
                if let role = role.stringValue.flatMap(Role.init(rawValue:)) {
                    _ = try await services.accounts.grant(role, to: account.id)
                }
            }
        }
        logger.info("demo data loaded", ["accounts": String(json.arrayValue?.count ?? 0)])
        try await loadCatalog(from: directory, into: services, accountIDs: accountIDs, logger: logger)
        try await loadCoupons(from: directory, into: services, logger: logger)
        try await loadLive(from: directory, into: services, logger: logger)
        try await loadRelationship(from: directory, into: services, logger: logger)
    }
}
