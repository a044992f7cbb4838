import Payments
import Testing

/// The pure fulfillment rule (API.md §15, §24): refunds take unshipped units first, then those on their way.
@Suite("Fulfillment rule")
struct FulfillmentTests {
    static func item(_ line: Int, quantity: Int64, refunded: Int64 = 0, shipped: Int64 = 0, delivered: Int64 = 0) -> Order.Item {
        Order.Item(
            line: line, productID: "prd_\(line)", title: "T", quantity: quantity, unitPriceCents: 100, flash: false,
            refundedQuantity: refunded, shippedQuantity: shipped, deliveredQuantity: delivered
        )
    }

    @Test("statuses from nothing shipped to everything delivered")
    func statuses() {
        let delivery = [Fulfillment.Delivery(line: 0, at: 500), Fulfillment.Delivery(line: 1, at: 700)]
        #expect(Fulfillment(items: [Self.item(0, quantity: 2)], deliveries: []).status == .unfulfilled)
        #expect(Fulfillment(items: [Self.item(0, quantity: 2, shipped: 1)], deliveries: []).status == .partiallyShipped)
        #expect(Fulfillment(items: [Self.item(0, quantity: 2, shipped: 2)], deliveries: []).status == .shipped)
        let half = Fulfillment(items: [Self.item(0, quantity: 2, shipped: 2, delivered: 1)], deliveries: delivery)
        #expect(half.status == .shipped)
        #expect(half.deliveredAt == nil, "null while any unit is undelivered")
        let all = Fulfillment(
            items: [Self.item(0, quantity: 2, shipped: 2, delivered: 2), Self.item(1, quantity: 1, shipped: 1, delivered: 1)],
            deliveries: delivery
        )
        #expect(all.status == .delivered)
        #expect(all.deliveredAt == 700, "the latest delivery")
    }

    @Test("refunded units leave the count: unshipped first, then in transit, then delivered")
    func refunds() {
        // 3 bought, 1 refunded before shipping, 2 shipped and delivered: delivered.
        let returned = Fulfillment(
            items: [Self.item(0, quantity: 3, refunded: 1, shipped: 2, delivered: 2)], deliveries: [.init(line: 0, at: 9)]
        )
        #expect(returned.status == .delivered)
        #expect(returned.deliveredAt == 9)
        // The line never shipped was refunded whole: the other line decides.
        let other = Fulfillment(
            items: [Self.item(0, quantity: 1, shipped: 1, delivered: 1), Self.item(1, quantity: 2, refunded: 2)],
            deliveries: [.init(line: 0, at: 5)]
        )
        #expect(other.status == .delivered)
        #expect(other.deliveredAt == 5)
        // Everything refunded: nothing left, no delivery date.
        let none = Fulfillment(items: [Self.item(0, quantity: 2, refunded: 2, shipped: 2, delivered: 2)], deliveries: [.init(line: 0, at: 5)])
        #expect(none.deliveredAt == nil)
        #expect(Fulfillment.shippable(Self.item(0, quantity: 5, refunded: 2, shipped: 1)) == 2)
        #expect(Fulfillment.shippable(Self.item(0, quantity: 5, refunded: 4, shipped: 3)) == 0)
    }
}
