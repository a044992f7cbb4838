import Core

/// A product of the catalog (API.md §3). Prices are cents in `Money.currency`.
public struct Product: Sendable, Equatable {
    public var id: String
    public var sku: String
    public var title: String
    public var description: String
    public var priceCents: Int64
    public var stock: Int64
    public var category: String
    public var imageURL: String?
    public var active: Bool
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(
        id: String, sku: String, title: String, description: String, priceCents: Int64, stock: Int64,
        category: String, imageURL: String?, active: Bool, createdAt: Int64, updatedAt: Int64
    ) {
        self.id = id
        self.sku = sku
        self.title = title
        self.description = description
        self.priceCents = priceCents
        self.stock = stock
        self.category = category
        self.imageURL = imageURL
        self.active = active
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

public enum CatalogError: DomainError, Equatable {
    case productNotFound(String)
    case skuTaken(String)
    /// Not enough units; `field` names the request line when there is one.
    case outOfStock(productID: String, available: Int64, field: String?)

    public var code: String {
        switch self {
        case .productNotFound: "not_found"
        case .skuTaken: "sku_taken"
        case .outOfStock: "out_of_stock"
        }
    }

    public var kind: ErrorKind {
        switch self {
        case .productNotFound: .notFound
        case .skuTaken, .outOfStock: .conflict
        }
    }

    public var detail: String {
        switch self {
        case let .productNotFound(id): "Product \(id) was not found"
        case let .skuTaken(sku): "Another product already has the SKU \(sku)"
        case let .outOfStock(id, available, _): "Only \(available) left of \(id)"
        }
    }

    public var fieldErrors: [FieldError] {
        switch self {
        case let .outOfStock(_, _, field?): [FieldError(field: field, message: "exceeds stock")]
        default: []
        }
    }
}
