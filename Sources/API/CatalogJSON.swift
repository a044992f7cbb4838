import Catalog
import Core

extension Product {
    var json: JSON {
        [
            "id": .string(id), "sku": .string(sku), "title": .string(title), "description": .string(description),
            "price_cents": .int(priceCents), "currency": .string(Money.currency), "stock": .int(stock),
            "category": .string(category), "image_url": JSON(imageURL), "active": .bool(active),
            "created_at": .string(Timestamp.format(epochSeconds: createdAt)),
            "updated_at": .string(Timestamp.format(epochSeconds: updatedAt)),
        ]
    }
}

extension Category {
    var json: JSON { ["slug": .string(slug), "name": .string(name), "product_count": .int(productCount)] }
}

extension Cart {
    var json: JSON {
        [
            "items": .array(items.map { line in
                [
                    "product_id": .string(line.productID), "title": .string(line.title), "quantity": .int(line.quantity),
                    "unit_price_cents": .int(line.unitPriceCents), "line_total_cents": .int(line.lineTotalCents),
                ]
            }),
            "subtotal_cents": .int(subtotalCents), "currency": .string(Money.currency),
            "updated_at": updatedAt.map { .string(Timestamp.format(epochSeconds: $0)) } ?? .null,
        ]
    }
}

/// JSON helpers shared by the commerce routes (catalog, cart, wallet, orders).
enum CommerceJSON {
    /// `{"data": [...], "next_cursor": …}` of API.md §1.
    static func list<Item>(_ page: Page<Item>, _ render: (Item) -> JSON) -> JSON {
        ["data": .array(page.items.map(render)), "next_cursor": JSON(page.nextCursor)]
    }

    static func time(_ epochSeconds: Int64) -> JSON { .string(Timestamp.format(epochSeconds: epochSeconds)) }
}
