import Accounts
import Catalog
import Core
import HTTP

/// API.md §3: products, stock and categories.
enum CatalogRoutes {
    static let creatable: Set<String> = [
        "sku", "title", "description", "price_cents", "stock", "category", "image_url", "active",
    ]
    static let patchable: Set<String> = ["title", "description", "price_cents", "category", "image_url", "active"]

    static func routes(_ s: Services) -> [Route] {
        [
            Route(.GET, "/v1/products", .everyone) { req in
                let page = try req.page()
                let staff = req.principal?.has(.merchant) ?? false
                let query = req.query("q")?.trimmedWhitespace
                let category = req.query("category").flatMap { $0.isEmpty ? nil : $0 }
                let filter = ProductFilter(
                    query: query?.isEmpty == false ? query : nil, category: category,
                    includeInactive: staff && req.query("include_inactive") == "true"
                )
                let listing = try await s.catalog.products(filter, page: page)
                return HTTPResponse.json(status: 200, listing.rendered {
                    CommerceJSON.list(listing.page, \.json).serialized()
                })
            },
            Route(.GET, "/v1/products/{id}", .everyone) { req in
                let staff = req.principal?.has(.merchant) ?? false
                return .json(200, try await s.catalog.product(req.parameter("id"), includeInactive: staff).json)
            },
            Route(.POST, "/v1/products", .role(.merchant)) { req in
                let draft = try productDraft(try req.body(allowed: creatable))
                return .json(201, try await s.catalog.create(draft).json)
            },
            Route(.PATCH, "/v1/products/{id}", .role(.merchant)) { req in
                let id = req.parameter("id")
                _ = try await s.catalog.product(id, includeInactive: true)
                let changes = try productChanges(try req.body(allowed: patchable))
                return .json(200, try await s.catalog.update(id, with: changes).json)
            },
            Route(.POST, "/v1/products/{id}/stock-adjustments", .role(.merchant)) { req in
                let id = req.parameter("id")
                _ = try await s.catalog.product(id, includeInactive: true)
                let body = try req.body(allowed: ["delta", "reason"])
                let delta = try body.int("delta", -CatalogRules.stockRange.upperBound...CatalogRules.stockRange.upperBound)
                guard delta != 0 else { throw Failure.invalid("delta", "must not be 0") }
                let reason = try body.text("reason", 1...200)
                let product = try await s.catalog.adjustStock(id, delta: delta, reason: reason, by: req.caller.accountID)
                return .json(200, product.json)
            },
            Route(.GET, "/v1/categories", .everyone) { _ in
                .json(200, ["data": .array(try await s.catalog.categories().map(\.json))])
            },
        ]
    }

    static func productDraft(_ body: Body) throws -> ProductDraft {
        let sku = try body.string("sku")
        guard CatalogRules.isValidSKU(sku) else { throw Failure.invalid("sku", "must be 1–64 of A–Z, a–z, 0–9, '.', '_', '-'") }
        return ProductDraft(
            sku: sku, title: try body.text("title", CatalogRules.titleLength),
            description: try description(body) ?? "", priceCents: try body.int("price_cents", CatalogRules.priceRange),
            stock: try body.int("stock", CatalogRules.stockRange), category: try category(body),
            imageURL: try imageURL(body) ?? nil, active: try body.optionalBool("active") ?? true
        )
    }

    static func productChanges(_ body: Body) throws -> ProductChanges {
        var changes = ProductChanges()
        if body.has("title") { changes.title = try body.text("title", CatalogRules.titleLength) }
        if body.has("description") { changes.description = try description(body) ?? "" }
        if body.has("price_cents") { changes.priceCents = try body.int("price_cents", CatalogRules.priceRange) }
        if body.has("category") { changes.category = try category(body) }
        if body.has("image_url") { changes.imageURL = try imageURL(body) }
        if body.has("active") {
            guard let active = try body.optionalBool("active") else { throw Failure.invalid("active", "must be true or false") }
            changes.active = active
        }
        return changes
    }

    /// At most 5000 characters after trimming; null reads as empty.
    private static func description(_ body: Body) throws -> String? {
        try body.optionalText("description", CatalogRules.descriptionLength)
    }

    private static func category(_ body: Body) throws -> String {
        let slug = try body.string("category")
        guard CatalogRules.isValidCategory(slug) else { throw Failure.invalid("category", "must be a slug of a–z, 0–9 and '-', 1–40 long") }
        return slug
    }

    /// `.some(nil)` when the body sends null (removing the image), nil when absent.
    private static func imageURL(_ body: Body) throws -> String?? {
        guard body.has("image_url") else { return nil }
        guard let url = try body.optionalString("image_url") else { return .some(nil) }
        guard CatalogRules.isValidImageURL(url) else { throw Failure.invalid("image_url", "must be an http(s) URL of at most 2000 characters") }
        return .some(url)
    }
}
