import Catalog
import Core
import LiveShopping

/// The JSON of live shopping (API.md §9); also renders the event payloads that embed a Pin or a message, so an
/// event carries exactly the object a response would.
struct LiveJSON: LiveRenderer {
    func json(_ pin: Pin) -> JSON {
        let json: JSON = [
            "id": .string(pin.id), "product": pin.product.json, "flash_price_cents": JSON(pin.flashPriceCents),
            "flash_quantity": JSON(pin.flashQuantity), "remaining": JSON(pin.remaining),
            "ends_at": pin.endsAt.map(CommerceJSON.time) ?? .null, "currency": .string(Money.currency),
            "created_at": CommerceJSON.time(pin.createdAt),
        ]
        // Only an auction pin carries `auction` (API.md §22).
        guard let auction = pin.auction, case let .object(members) = json else { return json }
        return .object(members + [("auction", self.json(auction))])
    }

    func json(_ message: ChatMessage) -> JSON {
        [
            "id": .string(message.id), "account_id": .string(message.accountID),
            "display_name": .string(message.displayName), "text": .string(message.text),
            "created_at": CommerceJSON.time(message.createdAt),
        ]
    }

    func json(_ session: LiveSession) -> JSON {
        [
            "id": .string(session.id),
            "host": ["account_id": .string(session.hostID), "display_name": .string(session.hostDisplayName)],
            "title": .string(session.title), "description": JSON(session.description),
            "status": .string(session.status.rawValue), "stream_url": JSON(session.streamURL),
            "scheduled_at": session.scheduledAt.map(CommerceJSON.time) ?? .null,
            "started_at": session.startedAt.map(CommerceJSON.time) ?? .null,
            "ended_at": session.endedAt.map(CommerceJSON.time) ?? .null,
            "viewer_count": .int(session.viewerCount), "like_count": .int(session.likeCount),
            "pins": .array(session.pins.map(json)),
        ]
    }

    func json(_ drop: CouponDrop) -> JSON {
        [
            "id": .string(drop.id), "campaign_id": .string(drop.campaignID), "quantity": .int(drop.quantity),
            "remaining": .int(drop.remaining),
        ]
    }

    func json(_ stats: LiveStats) -> JSON {
        // Four decimals are plenty for a ratio and keep the number short.
        let rate = (stats.conversionRate * 10_000).rounded() / 10_000
        return [
            "peak_viewers": .int(stats.peakViewers), "unique_viewers": .int(stats.uniqueViewers),
            "messages": .int(stats.messages), "likes": .int(stats.likes), "orders": .int(stats.orders),
            "units_sold": .int(stats.unitsSold), "gmv_cents": .int(stats.gmvCents),
            "currency": .string(Money.currency), "conversion_rate": .double(rate),
        ]
    }
}
