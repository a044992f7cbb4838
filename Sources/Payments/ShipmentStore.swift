import Accounts
import Core
import Storage

/// The SQL of shipments and of the fulfillment columns of orders.
enum ShipmentStore {
    static let migration = Migration(
        "0402_create_shipments",
        """
        ALTER TABLE orders ADD COLUMN shipping_address TEXT;
        ALTER TABLE order_items ADD COLUMN shipped_quantity INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE order_items ADD COLUMN delivered_quantity INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE shipments (
            id TEXT PRIMARY KEY,
            order_id TEXT NOT NULL REFERENCES orders(id),
            account_id TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('shipped', 'delivered')),
            carrier TEXT NOT NULL,
            tracking_number TEXT NOT NULL,
            promised_delivery_date TEXT NOT NULL,
            delayed INTEGER NOT NULL DEFAULT 0,
            shipped_at INTEGER NOT NULL,
            delivered_at INTEGER,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX shipments_by_order ON shipments(order_id, created_at);
        CREATE INDEX shipments_by_account ON shipments(account_id, created_at);
        CREATE TABLE shipment_items (
            shipment_id TEXT NOT NULL REFERENCES shipments(id),
            line INTEGER NOT NULL,
            product_id TEXT NOT NULL,
            quantity INTEGER NOT NULL CHECK (quantity > 0),
            PRIMARY KEY (shipment_id, line)
        ) WITHOUT ROWID;
        """
    )

    static func insert(_ shipment: Shipment, in db: any Transaction) throws {
        try db.run(
            """
            INSERT INTO shipments (id, order_id, account_id, status, carrier, tracking_number, promised_delivery_date,
                delayed, shipped_at, delivered_at, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, NULL, ?)
            """,
            shipment.id, shipment.orderID, shipment.accountID, shipment.status.rawValue, shipment.carrier,
            shipment.trackingNumber, shipment.promisedDeliveryDate, shipment.shippedAt, shipment.createdAt
        )
        for item in shipment.items {
            try db.run(
                "INSERT INTO shipment_items (shipment_id, line, product_id, quantity) VALUES (?, ?, ?, ?)",
                shipment.id, item.line, item.productID, item.quantity
            )
            // Invariant: never more units shipped than bought and not refunded; the guard holds for any writer.
            guard try db.run(
                """
                UPDATE order_items SET shipped_quantity = shipped_quantity + ?
                WHERE order_id = ? AND line = ? AND shipped_quantity + refunded_quantity + ? <= quantity
                """,
                item.quantity, shipment.orderID, item.line, item.quantity
            ) == 1 else { throw PaymentsError.nothingToShip(shipment.orderID) }
        }
    }

    /// Marks a shipment delivered. - Returns: false when it was delivered already.
    static func markDelivered(_ shipment: Shipment, now: Int64, in db: any Transaction) throws -> Bool {
        guard try db.run(
            "UPDATE shipments SET status = 'delivered', delivered_at = ? WHERE id = ? AND status = 'shipped'", now, shipment.id
        ) == 1 else { return false }
        for item in shipment.items {
            try db.run(
                "UPDATE order_items SET delivered_quantity = delivered_quantity + ? WHERE order_id = ? AND line = ?",
                item.quantity, shipment.orderID, item.line
            )
        }
        return true
    }

    /// Flags a shipment delayed once. - Returns: false when it was delivered or flagged already.
    static func markDelayed(_ id: String, in db: any Transaction) throws -> Bool {
        try db.run("UPDATE shipments SET delayed = 1 WHERE id = ? AND status = 'shipped' AND delayed = 0", id) == 1
    }

    static func shipment(_ id: String, in db: any Transaction) throws -> Shipment? {
        guard let row = try db.queryOne("SELECT * FROM shipments WHERE id = ?", id) else { return nil }
        return try shipment(from: row, in: db)
    }

    static func shipments(ofOrder orderID: String, in db: any Transaction) throws -> [Shipment] {
        try db.query("SELECT * FROM shipments WHERE order_id = ? ORDER BY created_at, id", orderID).map {
            try shipment(from: $0, in: db)
        }
    }

    static func shipments(ofAccount accountID: String, in db: any Transaction) throws -> [Shipment] {
        try db.query("SELECT * FROM shipments WHERE account_id = ? ORDER BY created_at, id", accountID).map {
            try shipment(from: $0, in: db)
        }
    }

    static func shipment(from row: Row, in db: any Transaction) throws -> Shipment {
        let items = try db.query(
            "SELECT line, product_id, quantity FROM shipment_items WHERE shipment_id = ? ORDER BY line", row.string("id")
        ).map { Shipment.Item(line: $0.int("line"), productID: $0.string("product_id"), quantity: $0.int64("quantity")) }
        return Shipment(
            id: row.string("id"), orderID: row.string("order_id"), accountID: row.string("account_id"),
            status: Shipment.Status(rawValue: row.string("status")) ?? .shipped, carrier: row.string("carrier"),
            trackingNumber: row.string("tracking_number"), items: items,
            promisedDeliveryDate: row.string("promised_delivery_date"), delayed: row.bool("delayed"),
            shippedAt: row.int64("shipped_at"), deliveredAt: row.optionalInt64("delivered_at"),
            createdAt: row.int64("created_at")
        )
    }

    /// When delivered units of an order arrived, per line.
    static func deliveries(ofOrder orderID: String, in db: any Transaction) throws -> [Fulfillment.Delivery] {
        try db.query(
            """
            SELECT i.line, s.delivered_at FROM shipments s JOIN shipment_items i ON i.shipment_id = s.id
            WHERE s.order_id = ? AND s.status = 'delivered'
            """,
            orderID
        ).map { Fulfillment.Delivery(line: $0.int("line"), at: $0.int64("delivered_at")) }
    }

    // MARK: - The address copy on orders

    static func saveAddress(_ address: Address, onOrder orderID: String, in db: any Transaction) throws {
        let json: JSON = [
            "id": .string(address.id), "account_id": .string(address.accountID), "name": .string(address.name),
            "line1": .string(address.line1), "line2": JSON(address.line2), "postal_code": .string(address.postalCode),
            "city": .string(address.city), "country": .string(address.country), "created_at": .int(address.createdAt),
        ]
        try db.run("UPDATE orders SET shipping_address = ? WHERE id = ?", json.serializedString(), orderID)
    }

    static func address(fromColumn text: String?) -> Address? {
        guard let text, let json = try? JSONParser.parse(Array(text.utf8)) else { return nil }
        return Address(
            id: json["id"]?.stringValue ?? "", accountID: json["account_id"]?.stringValue ?? "",
            name: json["name"]?.stringValue ?? "", line1: json["line1"]?.stringValue ?? "",
            line2: json["line2"]?.stringValue, postalCode: json["postal_code"]?.stringValue ?? "",
            city: json["city"]?.stringValue ?? "", country: json["country"]?.stringValue ?? "",
            createdAt: json["created_at"]?.intValue ?? 0
        )
    }
}
