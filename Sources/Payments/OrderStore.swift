import Core
import Storage

/// The SQL of orders and refunds.
public enum OrderStore {
    static let columns = """
        id, account_id, status, subtotal_cents, discount_cents, total_cents, refunded_cents, coupon_id, \
        live_session_id, pin_id, created_at, shipping_address
        """

    static func insert(_ order: Order, in db: any Transaction) throws {
        try db.run(
            """
            INSERT INTO orders (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
            """,
            order.id, order.accountID, order.status.rawValue, order.subtotalCents, order.discountCents,
            order.totalCents, order.refundedCents, order.couponID, order.liveSessionID, order.pinID, order.createdAt
        )
        if let address = order.shippingAddress { try ShipmentStore.saveAddress(address, onOrder: order.id, in: db) }
        for item in order.items {
            try db.run(
                """
                INSERT INTO order_items (order_id, line, product_id, title, quantity, unit_price_cents, flash,
                    refunded_quantity)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
                order.id, item.line, item.productID, item.title, item.quantity, item.unitPriceCents, item.flash,
                item.refundedQuantity
            )
        }
    }

    /// An order with its items, whoever owns it.
    public static func order(_ id: String, in db: any Transaction) throws -> Order? {
        guard let row = try db.queryOne("SELECT \(columns) FROM orders WHERE id = ?", id) else { return nil }
        return try withItems(order(from: row), in: db)
    }

    /// Newest first; `accountID` nil lists everyone's.
    static func orders(of accountID: String?, page: PageRequest, in db: any Transaction) throws -> Page<Order> {
        var conditions: [String] = []
        var arguments: [(any SQLBindable)?] = []
        if let accountID {
            conditions.append("account_id = ?")
            arguments.append(accountID)
        }
        let page = try Keyset.newestFirst(
            "SELECT \(columns) FROM orders", conditions: conditions, arguments: arguments, page: page, in: db,
            map: order(from:), key: { ($0.createdAt, $0.id) }
        )
        return Page(items: try page.items.map { try withItems($0, in: db) }, nextCursor: page.nextCursor)
    }

    static func order(from row: Row) -> Order {
        Order(
            id: row.string("id"), accountID: row.string("account_id"),
            status: Order.Status(rawValue: row.string("status")) ?? .paid, items: [],
            subtotalCents: row.int64("subtotal_cents"), discountCents: row.int64("discount_cents"),
            totalCents: row.int64("total_cents"), refundedCents: row.int64("refunded_cents"),
            couponID: row.optionalString("coupon_id"), liveSessionID: row.optionalString("live_session_id"),
            pinID: row.optionalString("pin_id"), createdAt: row.int64("created_at"),
            shippingAddress: ShipmentStore.address(fromColumn: row.optionalString("shipping_address"))
        )
    }

    static func withItems(_ order: Order, in db: any Transaction) throws -> Order {
        var order = order
        order.items = try db.query(
            """
            SELECT line, product_id, title, quantity, unit_price_cents, flash, refunded_quantity, shipped_quantity,
                delivered_quantity
            FROM order_items WHERE order_id = ? ORDER BY line
            """,
            order.id
        ).map { row in
            Order.Item(
                line: row.int("line"), productID: row.string("product_id"), title: row.string("title"),
                quantity: row.int64("quantity"), unitPriceCents: row.int64("unit_price_cents"), flash: row.bool("flash"),
                refundedQuantity: row.int64("refunded_quantity"), shippedQuantity: row.int64("shipped_quantity"),
                deliveredQuantity: row.int64("delivered_quantity")
            )
        }
        if order.items.contains(where: { $0.deliveredQuantity > 0 }) {
            order.deliveries = try ShipmentStore.deliveries(ofOrder: order.id, in: db)
        }
        return order
    }

    static func insert(_ refund: Refund, requestedBy accountID: String, lines: [Int], in db: any Transaction) throws {
        try db.run(
            "INSERT INTO refunds (id, order_id, requested_by, amount_cents, reason, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            refund.id, refund.orderID, accountID, refund.amountCents, refund.reason, refund.createdAt
        )
        for (item, line) in zip(refund.items, lines) {
            try db.run(
                "INSERT INTO refund_items (refund_id, line, product_id, quantity, amount_cents) VALUES (?, ?, ?, ?, ?)",
                refund.id, line, item.productID, item.quantity, item.amountCents
            )
        }
    }

    static func recordRefund(
        of order: Order, lines: [(line: Int, quantity: Int64)], amountCents: Int64, in db: any Transaction
    ) throws -> Order.Status {
        for (line, quantity) in lines {
            try db.run(
                "UPDATE order_items SET refunded_quantity = refunded_quantity + ? WHERE order_id = ? AND line = ?",
                quantity, order.id, line
            )
        }
        let left = try db.scalar(
            "SELECT COALESCE(SUM(quantity - refunded_quantity), 0) FROM order_items WHERE order_id = ?", order.id
        ) ?? 0
        let status: Order.Status = left == 0 ? .refunded : .partiallyRefunded
        try db.run(
            "UPDATE orders SET refunded_cents = refunded_cents + ?, status = ? WHERE id = ?",
            amountCents, status.rawValue, order.id
        )
        return status
    }

    /// Refunds of an account's orders, newest first.
    static func refunds(ofAccount accountID: String, in db: any Transaction) throws -> [Refund] {
        try db.query(
            """
            SELECT r.* FROM refunds r JOIN orders o ON o.id = r.order_id WHERE o.account_id = ?
            ORDER BY r.created_at DESC, r.id DESC
            """,
            accountID
        ).map { row in
            let items = try db.query(
                "SELECT product_id, quantity, amount_cents FROM refund_items WHERE refund_id = ? ORDER BY line", row.string("id")
            ).map { Refund.Item(productID: $0.string("product_id"), quantity: $0.int64("quantity"), amountCents: $0.int64("amount_cents")) }
            return Refund(
                id: row.string("id"), orderID: row.string("order_id"), amountCents: row.int64("amount_cents"),
                reason: row.string("reason"), items: items, createdAt: row.int64("created_at")
            )
        }
    }
}
