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

        public var lineTotalCents: Int64 { quantity * unitPriceCents }
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

    public init(lines: [Line]?, couponID: String? = nil, liveSessionID: String? = nil, pinID: String? = nil) {
        self.lines = lines
        self.couponID = couponID
        self.liveSessionID = liveSessionID
        self.pinID = pinID
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
