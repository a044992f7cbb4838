/// Names of the events Payments appends to the event log (docs/architecture.md); the account's event stream shows
/// `order.*` as `order.updated` and `shipment.*` as `shipment.updated` (API.md §13).
public enum OrderEvent {
    /// The Order as placed.
    public static let paid = "order.paid"
    /// The Order after a refund.
    public static let refunded = "order.refunded"
    public static let shipped = "order.shipped"
    /// `{"refund_id", "order_id", "account_id", "amount_cents"}`.
    public static let refundCreated = "refund.created"
    public static let delivered = "order.delivered"
    /// The Shipment.
    public static let shipmentCreated = "shipment.created"
    public static let shipmentDelivered = "shipment.delivered"
    public static let shipmentDelayed = "shipment.delayed"
    /// The scheduler's job that flags a shipment delayed at the end of its promised day.
    public static let delayCheck = "shipment.delay_check"
}
