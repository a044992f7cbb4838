import Core

/// What `POST /v1/products` creates.
public struct ProductDraft: Sendable, Equatable {
    public var sku: String
    public var title: String
    public var description: String
    public var priceCents: Int64
    public var stock: Int64
    public var category: String
    public var imageURL: String?
    public var active: Bool

    public init(
        sku: String, title: String, description: String = "", priceCents: Int64, stock: Int64, category: String,
        imageURL: String? = nil, active: Bool = true
    ) {
        self.sku = sku
        self.title = title
        self.description = description
        self.priceCents = priceCents
        self.stock = stock
        self.category = category
        self.imageURL = imageURL
        self.active = active
    }
}

/// What `PATCH /v1/products/{id}` changes; `nil` leaves a field as it is.
public struct ProductChanges: Sendable, Equatable {
    public var title: String?
    public var description: String?
    public var priceCents: Int64?
    public var category: String?
    /// `.some(nil)` removes the image.
    public var imageURL: String??
    public var active: Bool?

    public init(
        title: String? = nil, description: String? = nil, priceCents: Int64? = nil, category: String? = nil,
        imageURL: String?? = nil, active: Bool? = nil
    ) {
        self.title = title
        self.description = description
        self.priceCents = priceCents
        self.category = category
        self.imageURL = imageURL
        self.active = active
    }
}

/// Which products a list shows.
public struct ProductFilter: Sendable, Equatable {
    /// Words that must each match a word of the title or description as a prefix.
    public var query: String?
    public var category: String?
    public var includeInactive: Bool

    public init(query: String? = nil, category: String? = nil, includeInactive: Bool = false) {
        self.query = query
        self.category = category
        self.includeInactive = includeInactive
    }
}

/// One category of `GET /v1/categories`.
public struct Category: Sendable, Equatable {
    public var slug: String
    public var name: String
    public var productCount: Int64

    public init(slug: String, name: String, productCount: Int64) {
        self.slug = slug
        self.name = name
        self.productCount = productCount
    }
}
