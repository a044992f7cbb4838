/// An outside means of payment that tops up a wallet (card, bank transfer, …); `sandbox` is the one built in.
///
/// `charge` runs inside the top-up's write transaction, so it must answer quickly; a method that waits for a
/// payment provider would record a pending top-up instead and post it to the ledger when the provider confirms.
public protocol PaymentMethod: Sendable {
    /// The `method` value clients send.
    var name: String { get }

    /// Charges `amountCents` to the customer's outside means of payment.
    ///
    /// - Returns: the provider's reference of the approved charge.
    /// - Throws: `PaymentsError.paymentDeclined` when the charge is refused.
    func charge(amountCents: Int64, accountID: String, transactionID: String) throws -> String
}

/// Approves every charge at once; for development, tests and the demo.
public struct SandboxPaymentMethod: PaymentMethod {
    public init() {}

    public var name: String { "sandbox" }

    public func charge(amountCents: Int64, accountID: String, transactionID: String) throws -> String {
        "sandbox:\(transactionID)"
    }
}
