import Catalog
import Core
import HTTP

/// API.md §4: the caller's cart.
enum CartRoutes {
    static func routes(_ s: Services) -> [Route] {
        [
            Route(.GET, "/v1/cart", .signedIn) { req in
                .json(200, try await s.cart.cart(of: req.caller.accountID).json)
            },
            Route(.PUT, "/v1/cart/items/{product_id}", .signedIn) { req in
                let id = req.parameter("product_id")
                _ = try await s.catalog.product(id, includeInactive: false)
                let quantity = try req.body(allowed: ["quantity"]).int("quantity", 1...99)
                return .json(200, try await s.cart.setQuantity(quantity, of: id, for: req.caller.accountID).json)
            },
            Route(.DELETE, "/v1/cart/items/{product_id}", .signedIn) { req in
                .json(200, try await s.cart.remove(req.parameter("product_id"), for: req.caller.accountID).json)
            },
        ]
    }
}
