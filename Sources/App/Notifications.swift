import Core
import Payments
import Storage
import Trust

/// Turns what happens to orders and shipments into inbox items through the one send path (API.md §15, §16): a
/// consumer of the event log, so an item is sent exactly once per event even across a crash.
enum Notifications {
    static let consumerName = "notifications"

    static func consumer(ids: IDGenerator) -> EventConsumer {
        EventConsumer(
            name: consumerName,
            // A delayed shipment's item is the delivery_delay signal's (API.md §24: one item, with its coupon).
            names: [OrderEvent.paid, OrderEvent.shipmentCreated, OrderEvent.shipmentDelivered],
            handleAll: { events, db in
                // The batch send path, one call per second of the events: each item keeps its event's time, and a
                // batch of orders costs a few multi-row statements instead of four statements an order.
                let messages = events.compactMap { event in message(for: event).map { (event.createdAt, $0) } }
                var start = messages.startIndex
                while start < messages.endIndex {
                    let now = messages[start].0
                    let end = messages[start...].firstIndex { $0.0 != now } ?? messages.endIndex
                    _ = try SendPath.sendAll(messages[start..<end].map(\.1), ids: ids, now: now, in: db)
                    start = end
                }
            }
        )
    }

    /// The item for one event, or nil for an event without the ids it needs.
    static func message(for event: DomainEvent) -> OutgoingMessage? {
        let data = event.data
        switch event.name {
        case OrderEvent.paid:
            guard let order = data["id"]?.stringValue, let account = data["account_id"]?.stringValue else { return nil }
            let total = Money.text(data["total_cents"]?.intValue ?? 0)
            return OutgoingMessage(
                accountID: account, category: .order, rule: "order_placed",
                title: LocalizedText(en: "Thank you for your order", de: "Danke für Ihre Bestellung"),
                body: LocalizedText(
                    en: "Your order of \(total) is paid. We will tell you as soon as it ships.",
                    de: "Ihre Bestellung über \(total) ist bezahlt. Wir sagen Ihnen Bescheid, sobald sie verschickt wird."
                ),
                link: "/v1/orders/\(order)", data: ["order_id": .string(order)]
            )
        case OrderEvent.shipmentCreated, OrderEvent.shipmentDelivered:
            guard let shipment = data["id"]?.stringValue, let order = data["order_id"]?.stringValue,
                  let account = event.stream.split(separator: ":", maxSplits: 1).last.map(String.init)
            else { return nil }
            let (rule, title, body) = shipmentTexts(event.name, data)
            return OutgoingMessage(
                accountID: account, category: .shipment, rule: rule, title: title, body: body,
                link: "/v1/orders/\(order)", data: ["order_id": .string(order), "shipment_id": .string(shipment)]
            )
        default:
            return nil
        }
    }

    static func shipmentTexts(_ name: String, _ data: JSON) -> (String, LocalizedText, LocalizedText) {
        let carrier = data["carrier"]?.stringValue ?? ""
        let tracking = data["tracking_number"]?.stringValue ?? ""
        let promised = data["promised_delivery_date"]?.stringValue ?? ""
        switch name {
        case OrderEvent.shipmentDelivered:
            return ("shipment_delivered",
                    LocalizedText(en: "Delivered", de: "Zugestellt"),
                    LocalizedText(
                        en: "Your parcel has arrived. You may return it within 14 days from today.",
                        de: "Ihr Paket ist angekommen. Sie können es ab heute 14 Tage lang zurückgeben."
                    ))
        default:
            return ("shipment_sent",
                    LocalizedText(en: "Your order is on its way", de: "Ihre Bestellung ist unterwegs"),
                    LocalizedText(
                        en: "\(carrier) is bringing your parcel (\(tracking)), promised for \(promised).",
                        de: "\(carrier) bringt Ihr Paket (\(tracking)), zugesagt für den \(promised)."
                    ))
        }
    }
}
