import API
import Catalog
import Core
import Foundation
import Payments

extension DemoData {
    /// Loads `Fixtures/demo/catalog.json` (`{"products": [ProductDraft fields…]}`) and gives every demo account a
    /// sandbox top-up, so a new user can buy at once.
    ///
    /// - Parameter accountIDs: the demo accounts, in the order they were registered.
    /// - Throws: when the file is missing or malformed, or a product breaks the rules of API.md §12.
    static func loadCatalog(from directory: URL, into services: Services, accountIDs: [String], logger: Logger) async throws {
        let file = directory.appendingPathComponent("demo/catalog.json")
        let json = try JSONParser.parse(Array(try Data(contentsOf: file)))
        var drafts: [ProductDraft] = []
        for entry in json["products"]?.arrayValue ?? [] {
            guard let sku = entry["sku"]?.stringValue, CatalogRules.isValidSKU(sku),
                  let title = entry["title"]?.stringValue, let price = entry["price_cents"]?.intValue,
                  let stock = entry["stock"]?.intValue, let category = entry["category"]?.stringValue,
                  CatalogRules.isValidCategory(category)
            else { throw Failure.invalidState("demo/catalog.json has a malformed product: \(entry.serializedString())") }
            drafts.append(ProductDraft(
                sku: sku, title: title, description: entry["description"]?.stringValue ?? "", priceCents: price,
                stock: stock, category: category, imageURL: entry["image_url"]?.stringValue,
                active: entry["active"]?.boolValue ?? true
            ))
        }
        let products = try await services.catalog.create(drafts)
        let topUp = json["wallet_top_up_cents"]?.intValue ?? 0
        if topUp > 0 {
            let now = services.clock.now().epochSeconds
            let wallet = services.wallet
            try await services.database.write { db in
                for accountID in accountIDs {
                    _ = try wallet.topUp(topUp, method: "sandbox", for: accountID, now: now, in: db)
                }
            }
        }
        logger.info("demo catalog loaded", ["products": String(products.count)])
    }
}
