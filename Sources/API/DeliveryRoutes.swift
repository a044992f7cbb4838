import Accounts
import Core
import HTTP
import Payments

/// API.md §15: addresses, shipments and deliveries.
enum DeliveryRoutes {
    static func routes(_ s: Services) -> [Route] {
        [
            Route(.POST, "/v1/me/addresses", .signedIn) { req in
                let body = try req.body(allowed: ["name", "line1", "line2", "postal_code", "city", "country"])
                let draft = AddressDraft(
                    name: try body.text("name", 1...100), line1: try body.text("line1", 1...200),
                    line2: try body.optionalText("line2", 0...200), postalCode: try body.text("postal_code", 1...16),
                    city: try body.text("city", 1...100), country: try body.text("country", 2...2)
                )
                return .json(201, try await s.addresses.create(draft, for: req.caller.accountID).json)
            },
            Route(.GET, "/v1/me/addresses", .signedIn) { req in
                .json(200, ["data": .array(try await s.addresses.addresses(of: req.caller.accountID).map(\.json))])
            },
            Route(.DELETE, "/v1/me/addresses/{id}", .signedIn) { req in
                try await s.addresses.delete(req.parameter("id"), of: req.caller.accountID)
                return .noContent
            },
            Route(.POST, "/v1/orders/{id}/shipments", .role(.merchant)) { req in
                let id = req.parameter("id")
                _ = try await s.orders.order(id, visibleTo: req.caller.accountID, seesAll: true)
                let body = try req.body(allowed: ["carrier", "tracking_number", "promised_delivery_date", "items"])
                var lines: [ShipmentDraft.Line]?
                if body.has("items") {
                    let items = try body.objects("items", allowed: ["product_id", "quantity"], count: OrderService.lineCount)
                    lines = try items.enumerated().map { index, item in
                        ShipmentDraft.Line(
                            productID: try item.string("product_id"), quantity: try item.int("quantity", 1...99),
                            field: "items[\(index)]"
                        )
                    }
                    try OrderRoutes.rejectDuplicates(lines!.map(\.productID))
                }
                let draft = ShipmentDraft(
                    carrier: try body.text("carrier", 1...50), trackingNumber: try body.text("tracking_number", 1...100),
                    promisedDeliveryDate: try body.string("promised_delivery_date"), lines: lines
                )
                return .json(201, try await s.orders.ship(orderID: id, draft).json)
            },
            Route(.POST, "/v1/shipments/{id}/delivered", .role(.merchant)) { req in
                _ = try req.body(allowed: [])
                return .json(200, try await s.orders.markDelivered(shipmentID: req.parameter("id")).json)
            },
            Route(.GET, "/v1/orders/{id}/shipments", .signedIn) { req in
                let shipments = try await s.orders.shipments(
                    ofOrder: req.parameter("id"), visibleTo: req.caller.accountID, seesAll: req.caller.isOrderStaff
                )
                return .json(200, ["data": .array(shipments.map(\.json))])
            },
        ]
    }
}
