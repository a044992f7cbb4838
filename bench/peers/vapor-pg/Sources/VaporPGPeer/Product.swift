import Fluent
import Vapor

/// Basar's `products` row as a Fluent model. Column types follow the schema Basar's engine creates; where its
/// PostgreSQL text differs from PostgresDDL.translate's (e.g. `active` as BOOLEAN instead of BIGINT 0/1), change the
/// property's type here.
final class ProductModel: Model, @unchecked Sendable {
    static let schema = "products"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "sku") var sku: String
    @Field(key: "title") var title: String
    /// `description` is taken by Fluent's `CustomStringConvertible`.
    @Field(key: "description") var details: String
    @Field(key: "price_cents") var priceCents: Int64
    @Field(key: "stock") var stock: Int64
    @Field(key: "category") var category: String
    @OptionalField(key: "image_url") var imageURL: String?
    @Field(key: "active") var active: Int64
    @Field(key: "created_at") var createdAt: Int64
    @Field(key: "updated_at") var updatedAt: Int64

    init() {}
}

/// API.md §3's Product with every key present (`image_url` null when absent). Keys come out in the order
/// Foundation's JSONEncoder gives them (not Basar's order), as any Vapor app's would: the same bytes rearranged.
struct ProductJSON: Encodable {
    let id: String
    let sku: String
    let title: String
    let description: String
    let price_cents: Int64
    let currency = Money.currency
    let stock: Int64
    let category: String
    let image_url: Nullable<String>
    let active: Bool
    let created_at: String
    let updated_at: String

    init(_ model: ProductModel) {
        id = model.id ?? ""
        sku = model.sku
        title = model.title
        description = model.details
        price_cents = model.priceCents
        stock = model.stock
        category = model.category
        image_url = Nullable(model.imageURL)
        active = model.active != 0
        created_at = Money.time(model.createdAt)
        updated_at = Money.time(model.updatedAt)
    }
}

enum ProductRoutes {
    /// `GET /v1/products/{id}`: active products only (Basar shows inactive ones to merchants alone).
    @Sendable static func product(_ req: Request) async throws -> Response {
        let id = req.parameters.get("id") ?? ""
        guard let model = try await ProductModel.find(id, on: req.db), model.active != 0 else {
            return Problem.response(404, "not_found", "Not found", "Product \(id) was not found")
        }
        return try JSONCoding.response(.ok, ProductJSON(model))
    }
}

/// The deployment's currency and Basar's time format (API.md §1).
enum Money {
    static let currency = "EUR"

    /// RFC 3339 in UTC with a `Z`, whole seconds (`2026-11-23T10:00:00Z`).
    static func time(_ epochSeconds: Int64) -> String {
        Date(timeIntervalSince1970: TimeInterval(epochSeconds)).formatted(.iso8601)
    }
}

/// RFC 9457 problem details with Basar's `code` (API.md §1), for the errors this peer answers.
enum Problem {
    static func response(_ status: UInt, _ code: String, _ title: String, _ detail: String) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "application", subType: "problem+json")
        let json = try? JSONSerialization.data(withJSONObject: [
            "type": "/problems/\(code)", "title": title, "status": status, "code": code, "detail": detail,
        ] as [String: Any], options: [.withoutEscapingSlashes])
        return Response(status: .init(statusCode: Int(status)), headers: headers, body: .init(data: json ?? Data()))
    }
}
