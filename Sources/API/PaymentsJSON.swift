import Accounts
import Core
import Payments

extension WalletTransaction {
    var json: JSON {
        [
            "id": .string(id), "kind": .string(kind), "amount_cents": .int(amountCents),
            "balance_after_cents": .int(balanceAfterCents), "currency": .string(Money.currency),
            "reference": JSON(reference), "note": JSON(note), "created_at": CommerceJSON.time(createdAt),
        ]
    }
}

extension LedgerReport {
    var json: JSON {
        [
            "balanced": .bool(isBalanced), "sum_cents": .int(sumCents), "transactions": .int(transactions),
            "accounts": .int(accounts), "negative_wallets": .int(negativeWallets),
            "unbalanced_transactions": .int(unbalancedTransactions), "balance_mismatches": .int(balanceMismatches),
            "escrow_cents": .int(escrowCents),
        ]
    }
}

extension Order.Item {
    var json: JSON {
        [
            "product_id": .string(productID), "title": .string(title), "quantity": .int(quantity),
            "unit_price_cents": .int(unitPriceCents), "line_total_cents": .int(lineTotalCents),
            "refunded_quantity": .int(refundedQuantity),
        ]
    }
}

extension Quote {
    var json: JSON {
        [
            "items": .array(items.map(\.json)), "subtotal_cents": .int(subtotalCents),
            "discount_cents": .int(discountCents), "total_cents": .int(totalCents), "currency": .string(Money.currency),
            "coupon_id": JSON(couponID), "wallet_balance_cents": .int(walletBalanceCents),
            "sufficient_funds": .bool(sufficientFunds),
        ]
    }
}

extension Order {
    var json: JSON {
        [
            "id": .string(id), "account_id": .string(accountID), "status": .string(status.rawValue),
            "items": .array(items.map(\.json)),
            "subtotal_cents": .int(subtotalCents), "discount_cents": .int(discountCents), "total_cents": .int(totalCents),
            "refunded_cents": .int(refundedCents), "currency": .string(Money.currency), "coupon_id": JSON(couponID),
            "live_session_id": JSON(liveSessionID), "pin_id": JSON(pinID),
            "shipping_address": shippingAddress.map(\.json) ?? .null,
            "fulfillment_status": .string(fulfillment.status.rawValue),
            "delivered_at": fulfillment.deliveredAt.map(CommerceJSON.time) ?? .null,
            "created_at": CommerceJSON.time(createdAt),
        ]
    }
}

extension Address {
    var json: JSON {
        [
            "id": .string(id), "name": .string(name), "line1": .string(line1), "line2": JSON(line2),
            "postal_code": .string(postalCode), "city": .string(city), "country": .string(country),
            "created_at": CommerceJSON.time(createdAt),
        ]
    }
}

extension Shipment {
    var json: JSON {
        [
            "id": .string(id), "order_id": .string(orderID), "status": .string(status.rawValue),
            "carrier": .string(carrier), "tracking_number": .string(trackingNumber),
            "items": .array(items.map { ["product_id": .string($0.productID), "quantity": .int($0.quantity)] }),
            "promised_delivery_date": .string(promisedDeliveryDate), "delayed": .bool(delayed),
            "shipped_at": CommerceJSON.time(shippedAt), "delivered_at": deliveredAt.map(CommerceJSON.time) ?? .null,
            "created_at": CommerceJSON.time(createdAt),
        ]
    }
}

/// Orders and shipments in events look exactly as the API shows them.
struct CommerceEventRenderer: CommerceRenderer {
    func json(_ order: Order) -> JSON { order.json }
    func json(_ shipment: Shipment) -> JSON { shipment.json }
}

extension Refund {
    var json: JSON {
        [
            "id": .string(id), "order_id": .string(orderID), "amount_cents": .int(amountCents),
            "currency": .string(Money.currency),
            "items": .array(items.map { item in
                ["product_id": .string(item.productID), "quantity": .int(item.quantity), "amount_cents": .int(item.amountCents)]
            }),
            "reason": .string(reason), "created_at": CommerceJSON.time(createdAt),
        ]
    }
}
