import Accounts
import Core
import Storage

/// Shipments (API.md §15): merchants ship units and mark them delivered; the scheduler flags a shipment delayed
/// when its promised day has ended undelivered.
extension OrderService {
    /// Ships units of an order and schedules its delay check for the end of the promised day.
    ///
    /// - Throws: `404` (order), `400` naming `promised_delivery_date` or an `items[i]` line not in the order,
    ///   `409 invalid_state` for more units than are left unshipped and unrefunded, or nothing left at all.
    public func ship(orderID: String, _ draft: ShipmentDraft) async throws -> Shipment {
        guard let day = CalendarDay.parse(draft.promisedDeliveryDate), let dueAt = CalendarDay.end(of: day) else {
            throw Failure.invalid("promised_delivery_date", "must be a date YYYY-MM-DD")
        }
        let now = clock.now().epochSeconds
        let id = ids.next("shp")
        let renderer = self.renderer
        return try await database.write { db in
            guard let order = try OrderStore.order(orderID, in: db) else { throw PaymentsError.orderNotFound(orderID) }
            var items: [Shipment.Item] = []
            if let lines = draft.lines {
                for line in lines {
                    guard let item = order.items.first(where: { $0.productID == line.productID }) else {
                        throw Failure.invalid(line.field + ".product_id", "is not in this order")
                    }
                    items.append(Shipment.Item(line: item.line, productID: item.productID, quantity: line.quantity))
                }
            } else {
                items = order.items.compactMap { item in
                    let left = Fulfillment.shippable(item)
                    return left > 0 ? Shipment.Item(line: item.line, productID: item.productID, quantity: left) : nil
                }
                guard !items.isEmpty else { throw PaymentsError.nothingToShip(orderID) }
            }
            let shipment = Shipment(
                id: id, orderID: orderID, accountID: order.accountID, status: .shipped, carrier: draft.carrier,
                trackingNumber: draft.trackingNumber, items: items, promisedDeliveryDate: draft.promisedDeliveryDate,
                delayed: false, shippedAt: now, deliveredAt: nil, createdAt: now
            )
            try ShipmentStore.insert(shipment, in: db)
            try Scheduler.schedule(OrderEvent.delayCheck, key: id, at: dueAt.epochSeconds, in: db)
            try Self.appendChange(OrderEvent.shipmentCreated, OrderEvent.shipped, shipment, renderer, now: now, in: db)
            return shipment
        }
    }

    /// What a carrier's webhook would call. - Throws: `404`, `409 invalid_state` when delivered already.
    public func markDelivered(shipmentID: String) async throws -> Shipment {
        let now = clock.now().epochSeconds
        let renderer = self.renderer
        return try await database.write { db in
            guard var shipment = try ShipmentStore.shipment(shipmentID, in: db) else {
                throw PaymentsError.shipmentNotFound(shipmentID)
            }
            guard try ShipmentStore.markDelivered(shipment, now: now, in: db) else {
                throw PaymentsError.alreadyDelivered(shipmentID)
            }
            try Scheduler.cancel(OrderEvent.delayCheck, key: shipmentID, in: db)
            shipment.status = .delivered
            shipment.deliveredAt = now
            try Self.appendChange(OrderEvent.shipmentDelivered, OrderEvent.delivered, shipment, renderer, now: now, in: db)
            return shipment
        }
    }

    /// The scheduler's delay check: flags the shipment once if it is still on its way.
    public static func checkDelay(shipmentID: String, renderer: any CommerceRenderer, now: Int64, in db: any Transaction) throws {
        guard try ShipmentStore.markDelayed(shipmentID, in: db), let shipment = try ShipmentStore.shipment(shipmentID, in: db)
        else { return }
        try EventLog.append(
            OrderEvent.shipmentDelayed, stream: EventLog.accountStream(shipment.accountID),
            data: renderer.json(shipment), now: now, in: db
        )
    }

    /// The order's shipments, for its owner and staff. - Throws: `404` for anyone else.
    public func shipments(ofOrder orderID: String, visibleTo accountID: String, seesAll: Bool) async throws -> [Shipment] {
        try await database.read { db in
            guard let order = try OrderStore.order(orderID, in: db), seesAll || order.accountID == accountID else {
                throw PaymentsError.orderNotFound(orderID)
            }
            return try ShipmentStore.shipments(ofOrder: orderID, in: db)
        }
    }

    /// Every shipment of an account (its data export).
    public static func shipments(ofAccount accountID: String, in db: any Transaction) throws -> [Shipment] {
        try ShipmentStore.shipments(ofAccount: accountID, in: db)
    }

    /// A shipment event and the order's own, both on the buyer's stream.
    static func appendChange(
        _ shipmentEvent: String, _ orderEvent: String, _ shipment: Shipment, _ renderer: any CommerceRenderer,
        now: Int64, in db: any Transaction
    ) throws {
        let stream = EventLog.accountStream(shipment.accountID)
        try EventLog.append(shipmentEvent, stream: stream, data: renderer.json(shipment), now: now, in: db)
        if let order = try OrderStore.order(shipment.orderID, in: db) {
            try EventLog.append(orderEvent, stream: stream, data: renderer.json(order), now: now, in: db)
        }
    }
}
