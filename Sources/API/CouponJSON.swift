import Core
import Coupons

extension DiscountRule {
    /// `{"type": "percent"|"fixed", "value"}` of API.md §7.
    var json: JSON { ["type": .string(type), "value": .int(value)] }
}

extension Campaign {
    /// The `Campaign` object of API.md §7; `max_discount_cents` and `key` are null when absent. Public for the CLI
    /// (through `App.CampaignRendering`), which prints the same JSON.
    public var json: JSON {
        [
            "id": .string(id), "name": .string(name), "discount": discount.json,
            "min_spend_cents": .int(minSpendCents), "max_discount_cents": JSON(maxDiscountCents),
            "currency": .string(Money.currency),
            "valid_from": .string(Timestamp.format(epochSeconds: validFrom)),
            "valid_until": .string(Timestamp.format(epochSeconds: validUntil)),
            "max_coupons": .int(maxCoupons), "per_account_limit": .int(perAccountLimit), "key": JSON(key),
            "status": .string(status.rawValue),
            "stats": [
                "issued": .int(issued), "redeemed": .int(redeemed),
                "discount_granted_cents": .int(discountGrantedCents),
            ],
            "created_at": .string(Timestamp.format(epochSeconds: createdAt)),
        ]
    }
}

extension Coupon {
    /// The `Coupon` object of API.md §7 as seen at `now`: `status` is `expired` once `valid_until` has passed
    /// (computed when read, API.md §12). `max_discount_cents` and `campaign_name` are additions so clients can show
    /// what a coupon is and its cap.
    ///
    /// - Parameters:
    ///   - now: epoch seconds, from the services' clock (`services.clock.now().epochSeconds`).
    func json(now: Int64) -> JSON {
        [
            "id": .string(id), "campaign_id": .string(campaignID), "campaign_name": .string(campaignName),
            "code": JSON(code), "status": .string(status(at: now)), "discount": discount.json,
            "min_spend_cents": .int(minSpendCents), "max_discount_cents": JSON(maxDiscountCents),
            "currency": .string(Money.currency),
            "valid_until": .string(Timestamp.format(epochSeconds: validUntil)),
            "source": .string(source.rawValue), "redeemed_order_id": JSON(redeemedOrderID),
            "created_at": .string(Timestamp.format(epochSeconds: createdAt)),
        ]
    }
}
