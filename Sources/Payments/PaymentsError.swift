import Core

/// The errors of wallets, orders and refunds (API.md §5, §6).
public enum PaymentsError: DomainError, Equatable {
    case insufficientFunds(balance: Int64, needed: Int64)
    case orderNotFound(String)
    case accountNotFound(field: String)
    case refundWindowClosed(orderID: String)
    /// More units than are left to refund; `field` names the request line when there is one.
    case alreadyRefunded(orderID: String, field: String?)
    case unknownPaymentMethod(String)
    case paymentDeclined(String)
    case shipmentNotFound(String)
    /// More units than are left unshipped and unrefunded, a shipment delivered twice (API.md §15).
    case nothingToShip(String)
    case alreadyDelivered(String)

    public var code: String {
        switch self {
        case .insufficientFunds: "insufficient_funds"
        case .orderNotFound, .accountNotFound: "not_found"
        case .refundWindowClosed: "refund_window_closed"
        case .alreadyRefunded: "already_refunded"
        case .unknownPaymentMethod: "invalid_request"
        case .paymentDeclined: "payment_declined"
        case .shipmentNotFound: "not_found"
        case .nothingToShip, .alreadyDelivered: "invalid_state"
        }
    }

    public var kind: ErrorKind {
        switch self {
        case .insufficientFunds, .paymentDeclined: .paymentRequired
        case .orderNotFound, .accountNotFound: .notFound
        case .refundWindowClosed: .unprocessable
        case .alreadyRefunded: .conflict
        case .unknownPaymentMethod: .invalid
        case .shipmentNotFound: .notFound
        case .nothingToShip, .alreadyDelivered: .conflict
        }
    }

    public var detail: String {
        switch self {
        case let .insufficientFunds(balance, needed):
            "The wallet holds \(balance) cents but \(needed) are needed"
        case let .orderNotFound(id): "Order \(id) was not found"
        case .accountNotFound: "The account was not found"
        case let .refundWindowClosed(id): "Order \(id) was delivered more than 14 days ago; ask the merchant for a refund"
        case let .alreadyRefunded(id, _): "Those units of order \(id) were already refunded or never bought"
        case let .unknownPaymentMethod(name): "Unknown payment method \(name)"
        case let .paymentDeclined(detail): detail
        case let .shipmentNotFound(id): "Shipment \(id) was not found"
        case let .nothingToShip(id): "Order \(id) has fewer units left to ship (not shipped, not refunded)"
        case let .alreadyDelivered(id): "Shipment \(id) was delivered already"
        }
    }

    public var fieldErrors: [FieldError] {
        switch self {
        case let .accountNotFound(field): [FieldError(field: field, message: "does not exist")]
        case let .alreadyRefunded(_, field?): [FieldError(field: field, message: "exceeds the units left to refund")]
        case .unknownPaymentMethod: [FieldError(field: "method", message: "is not a known payment method")]
        default: []
        }
    }
}
