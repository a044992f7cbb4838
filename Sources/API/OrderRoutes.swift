import Accounts
import Core
import HTTP
import Payments

/// API.md §6: checkout, orders and refunds.
enum OrderRoutes {
    static func routes(_ s: Services) -> [Route] {
        [
            Route(.POST, "/v1/orders", .signedIn) { req in
                let request = try checkoutRequest(try req.body(allowed: checkoutKeys))
                let account = req.caller.accountID
                // Without a key an empty cart is a plain 400; with one, the check inside the transaction answers, so
                // a retry of a from-cart order whose cart was cleared by the first attempt still replays.
                if request.lines == nil, req.http.headers["Idempotency-Key"] == nil, try await s.orders.cartIsEmpty(account) {
                    throw Failure.invalid("from_cart", "the cart is empty")
                }
                let key = try req.idempotencyKey()
                return HTTPResponse(try await s.orders.checkout(request, for: account, key: key, answering: .json { $0.json }))
            },
            // A quote runs the checkout's own validation and rolls it back (API.md §14).
            Route(.POST, "/v1/orders/quote", .signedIn) { req in
                let request = try checkoutRequest(try req.body(allowed: checkoutKeys))
                let now = s.clock.now().epochSeconds
                return .json(200, try await s.orders.quote(request, for: req.caller.accountID, now: now).json)
            },
            Route(.GET, "/v1/orders", .signedIn) { req in
                let page = try req.page()
                let everyone = req.caller.isOrderStaff && req.query("all") == "true"
                let orders = try await s.orders.orders(of: everyone ? nil : req.caller.accountID, page: page)
                return .json(200, CommerceJSON.list(orders, \.json))
            },
            Route(.GET, "/v1/orders/{id}", .signedIn) { req in
                let order = try await s.orders.order(
                    req.parameter("id"), visibleTo: req.caller.accountID, seesAll: req.caller.isOrderStaff
                )
                return .json(200, order.json)
            },
            Route(.POST, "/v1/orders/{id}/refunds", .signedIn) { req in
                let id = req.parameter("id")
                let account = req.caller.accountID
                let staff = req.caller.isOrderStaff
                _ = try await s.orders.order(id, visibleTo: account, seesAll: staff)
                let body = try req.body(allowed: ["items", "reason"])
                var lines: [RefundLine]?
                if body.has("items") {
                    let items = try body.objects("items", allowed: ["product_id", "quantity"], count: OrderService.lineCount)
                    lines = try items.enumerated().map { index, item in
                        RefundLine(
                            productID: try item.string("product_id"), quantity: try item.int("quantity", 1...99),
                            field: "items[\(index)]"
                        )
                    }
                    try rejectDuplicates(lines!.map(\.productID))
                }
                let reason = try body.text("reason", 1...200)
                return HTTPResponse(try await s.orders.refund(
                    orderID: id, lines: lines, reason: reason, requestedBy: account, isStaff: staff,
                    key: try req.idempotencyKey(), answering: .json { $0.json }
                ))
            },
        ]
    }

    static let checkoutKeys: Set<String> = [
        "items", "from_cart", "coupon_id", "live_session_id", "pin_id", "address_id", "share_code",
    ]

    /// Items or `from_cart` (not both, API.md §12), 1–50 lines of 1–99 units, each product once.
    static func checkoutRequest(_ body: Body) throws -> CheckoutRequest {
        let fromCart = try body.optionalBool("from_cart") ?? false
        var lines: [CheckoutRequest.Line]?
        if body.has("items") {
            guard !fromCart else { throw Failure.invalid("from_cart", "cannot be combined with items") }
            let items = try body.objects("items", allowed: ["product_id", "quantity"], count: OrderService.lineCount)
            lines = try items.map { item in
                CheckoutRequest.Line(
                    productID: try item.string("product_id"), quantity: try item.int("quantity", OrderService.quantityRange)
                )
            }
            try rejectDuplicates(lines!.map(\.productID))
        } else if !fromCart {
            throw Failure.invalid("items", "is required unless from_cart is true")
        }
        let session = try body.optionalString("live_session_id")
        let pin = try body.optionalString("pin_id")
        if pin != nil, session == nil { throw Failure.invalid("pin_id", "needs live_session_id") }
        return CheckoutRequest(
            lines: lines, couponID: try body.optionalString("coupon_id"), liveSessionID: session, pinID: pin,
            addressID: try body.optionalString("address_id"), shareCode: try body.optionalString("share_code")
        )
    }

    /// A product may appear on one line only, so refunds can name it unambiguously.
    static func rejectDuplicates(_ productIDs: [String]) throws {
        var seen = Set<String>()
        for (index, id) in productIDs.enumerated() where !seen.insert(id).inserted {
            throw Failure.invalid("items[\(index)].product_id", "appears on an earlier line")
        }
    }
}
