import Core
import Storage

/// One line of a cart, priced at the product's current price.
public struct CartLine: Sendable, Equatable {
    public var productID: String
    public var title: String
    public var quantity: Int64
    public var unitPriceCents: Int64
    public var active: Bool

    public var lineTotalCents: Int64 { quantity * unitPriceCents }
}

/// An account's cart (API.md §4); `updatedAt` is nil until it first changes.
public struct Cart: Sendable, Equatable {
    public var items: [CartLine]
    public var updatedAt: Int64?

    public var subtotalCents: Int64 { items.reduce(0) { $0 + $1.lineTotalCents } }
}

/// The cart endpoints' service.
public final class CartService: Sendable {
    private let database: Database
    private let clock: any WallClock

    public init(database: Database, clock: any WallClock) {
        self.database = database
        self.clock = clock
    }

    public func cart(of accountID: String) async throws -> Cart {
        try await database.read { db in try CartStore.cart(of: accountID, in: db) }
    }

    /// - Throws: `404 not_found` for an unknown or inactive product.
    public func setQuantity(_ quantity: Int64, of productID: String, for accountID: String) async throws -> Cart {
        let now = clock.now().epochSeconds
        return try await database.write { db in
            try CartStore.setQuantity(quantity, of: productID, for: accountID, now: now, in: db)
            return try CartStore.cart(of: accountID, in: db)
        }
    }

    /// - Throws: `404 not_found` (see ``CartStore/remove(_:for:now:in:)``).
    public func remove(_ productID: String, for accountID: String) async throws -> Cart {
        let now = clock.now().epochSeconds
        return try await database.write { db in
            try CartStore.remove(productID, for: accountID, now: now, in: db)
            return try CartStore.cart(of: accountID, in: db)
        }
    }
}
