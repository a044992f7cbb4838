import Accounts

/// A paid order (API.md §6).
public struct Order: Sendable, Equatable {
    public enum Status: String, Sendable {
        case paid, partiallyRefunded = "partially_refunded", refunded
    }

    public struct Item: Sendable, Equatable {
        public var line: Int
        public var productID: String
        public var title: String
        public var quantity: Int64
        public var unitPriceCents: Int64
        /// Bought at a live pin's flash price, taken from the pin's allotment rather than from stock.
        public var flash: Bool
        public var refundedQuantity: Int64
        /// Units in shipments, and in shipments marked delivered (API.md §15).
        public var shippedQuantity: Int64 = 0
        public var deliveredQuantity: Int64 = 0

        public var lineTotalCents: Int64 { quantity * unitPriceCents }

        public init(
            line: Int, productID: String, title: String, quantity: Int64, unitPriceCents: Int64, flash: Bool,
            refundedQuantity: Int64, shippedQuantity: Int64 = 0, deliveredQuantity: Int64 = 0
        ) {
            (self.line, self.productID, self.title, self.quantity) = (line, productID, title, quantity)
            (self.unitPriceCents, self.flash, self.refundedQuantity) = (unitPriceCents, flash, refundedQuantity)
            (self.shippedQuantity, self.deliveredQuantity) = (shippedQuantity, deliveredQuantity)
        }
    }

    public var id: String
    public var accountID: String
    public var status: Status
    public var items: [Item]
    public var subtotalCents: Int64
    public var discountCents: Int64
    public var totalCents: Int64
    public var refundedCents: Int64
    public var couponID: String?
    public var liveSessionID: String?
    public var pinID: String?
    public var createdAt: Int64
    /// A copy of the address chosen at checkout; it outlives the address itself.
    public var shippingAddress: Address? = nil
    /// When delivered shipments arrived, per line, for ``Fulfillment``.
    public var deliveries: [Fulfillment.Delivery] = []

    public var fulfillment: Fulfillment { Fulfillment(items: items, deliveries: deliveries) }
}

/// A refund of some units of an order (API.md §6).
public struct Refund: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public var productID: String
        public var quantity: Int64
        public var amountCents: Int64
    }

    public var id: String
    public var orderID: String
    public var amountCents: Int64
    public var reason: String
    public var items: [Item]
    public var createdAt: Int64
}

/// What `POST /v1/orders` asks for, after the API validated its shape.
public struct CheckoutRequest: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var productID: String
        public var quantity: Int64

        public init(productID: String, quantity: Int64) {
            self.productID = productID
            self.quantity = quantity
        }
    }

    /// The lines, or `nil` to buy the cart.
    public var lines: [Line]?
    public var couponID: String?
    public var liveSessionID: String?
    public var pinID: String?
    /// One of the buyer's addresses, copied onto the order (API.md §15).
    public var addressID: String?
    /// The code of the share link the buyer came through (API.md §24): the order's `share` touchpoint.
    public var shareCode: String?

    public init(
        lines: [Line]?, couponID: String? = nil, liveSessionID: String? = nil, pinID: String? = nil,
        addressID: String? = nil, shareCode: String? = nil
    ) {
        self.lines = lines
        self.couponID = couponID
        self.liveSessionID = liveSessionID
        self.pinID = pinID
        self.addressID = addressID
        self.shareCode = shareCode
    }
}

/// Units to refund of one product of an order; `field` names the request line for errors.
public struct RefundLine: Sendable, Equatable {
    public var productID: String
    public var quantity: Int64
    public var field: String

    public init(productID: String, quantity: Int64, field: String) {
        self.productID = productID
        self.quantity = quantity
        self.field = field
    }
}

/// What `POST /v1/orders/quote` answers: the order's price as a checkout would compute it now (API.md §14).
public struct Quote: Sendable, Equatable {
    public var items: [Order.Item]
    public var subtotalCents: Int64
    public var discountCents: Int64
    public var couponID: String?
    public var walletBalanceCents: Int64

    public var totalCents: Int64 { subtotalCents - discountCents }
    public var sufficientFunds: Bool { walletBalanceCents >= totalCents }
}
