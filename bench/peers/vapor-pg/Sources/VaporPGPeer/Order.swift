import Vapor

/// API.md §6's Order as Basar renders a new paid order (PaymentsJSON.swift), every key present; the key order is
/// Foundation's (see ``ProductJSON``).
struct OrderJSON: Encodable, Sendable {
    struct Item: Encodable, Sendable {
        let product_id: String
        let title: String
        let quantity: Int64
        let unit_price_cents: Int64
        let line_total_cents: Int64
        let refunded_quantity: Int64 = 0

        init(productID: String, title: String, quantity: Int64, unitPriceCents: Int64) {
            product_id = productID
            self.title = title
            self.quantity = quantity
            unit_price_cents = unitPriceCents
            line_total_cents = quantity * unitPriceCents
        }
    }

    let id: String
    let account_id: String
    let status = "paid"
    let items: [Item]
    let subtotal_cents: Int64
    let discount_cents: Int64 = 0
    let total_cents: Int64
    let refunded_cents: Int64 = 0
    let currency = Money.currency
    let coupon_id = Nullable<String>(nil)
    let live_session_id = Nullable<String>(nil)
    let pin_id = Nullable<String>(nil)
    let shipping_address = Nullable<String>(nil)
    let fulfillment_status = "unfulfilled"
    let delivered_at = Nullable<String>(nil)
    let created_at: String

    init(id: String, accountID: String, items: [Item], createdAt: String) {
        self.id = id
        account_id = accountID
        self.items = items
        subtotal_cents = items.reduce(0) { $0 + $1.line_total_cents }
        total_cents = subtotal_cents
        created_at = createdAt
    }
}

/// An optional that encodes `nil` as `null` (the synthesized encoder of an `Optional` leaves the key out), since
/// Basar's JSON has every key.
struct Nullable<Wrapped: Encodable & Sendable>: Encodable, Sendable {
    let value: Wrapped?

    init(_ value: Wrapped?) { self.value = value }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value { try container.encode(value) } else { try container.encodeNil() }
    }
}
