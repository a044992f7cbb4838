/// Units of an order on their way (API.md §15).
public struct Shipment: Sendable, Equatable {
    public enum Status: String, Sendable {
        case shipped, delivered
    }

    public struct Item: Sendable, Equatable {
        public var line: Int
        public var productID: String
        public var quantity: Int64
    }

    public var id: String
    public var orderID: String
    /// The buyer, whose account stream hears about it.
    public var accountID: String
    public var status: Status
    public var carrier: String
    public var trackingNumber: String
    public var items: [Item]
    /// `YYYY-MM-DD`, a day in the deployment's time zone.
    public var promisedDeliveryDate: String
    public var delayed: Bool
    public var shippedAt: Int64
    public var deliveredAt: Int64?
    public var createdAt: Int64
}

/// What a merchant sends to ship units.
public struct ShipmentDraft: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var productID: String
        public var quantity: Int64
        /// The request's field for errors, such as `items[1]`.
        public var field: String

        public init(productID: String, quantity: Int64, field: String) {
            (self.productID, self.quantity, self.field) = (productID, quantity, field)
        }
    }

    public var carrier: String
    public var trackingNumber: String
    public var promisedDeliveryDate: String
    /// Nil ships every unit not yet shipped or refunded.
    public var lines: [Line]?

    public init(carrier: String, trackingNumber: String, promisedDeliveryDate: String, lines: [Line]?) {
        (self.carrier, self.trackingNumber, self.promisedDeliveryDate, self.lines) =
            (carrier, trackingNumber, promisedDeliveryDate, lines)
    }
}

/// What the API renders for events, so event data carries the objects exactly as the API shows them; Payments sits
/// below the API, which implements this (the same split as LiveShopping's renderer).
public protocol CommerceRenderer: Sendable {
    func json(_ order: Order) -> Core.JSON
    func json(_ shipment: Shipment) -> Core.JSON
}

import Core
