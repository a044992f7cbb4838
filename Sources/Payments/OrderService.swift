import Accounts
import Catalog
import Core
import Coupons
import Storage

/// One-step checkout and refunds (API.md §6), composed from the lower features' in-transaction functions
/// (STYLE.md §2.3) so that stock, coupon, wallet and cart commit or roll back together.
public final class OrderService: Sendable {
    /// How long a buyer may refund on their own.
    public static let refundWindowSeconds: Int64 = 14 * 24 * 3600
    public static let lineCount = 1...50
    public static let quantityRange: ClosedRange<Int64> = 1...99

    let database: Database
    let ids: IDGenerator
    let clock: any WallClock
    /// Renders orders and shipments into the events, exactly as the API shows them.
    let renderer: any CommerceRenderer
    /// Set once LiveShopping is wired in; until then an order naming a live session answers `404`.
    public let liveCheckout: (any LiveCheckoutHook)?
    /// Share links and referrals (API.md §20, §24); without it a `share_code` is unknown (`400`).
    public let placement: (any OrderPlacementHook)?

    public init(
        database: Database, ids: IDGenerator, clock: any WallClock, renderer: any CommerceRenderer,
        liveCheckout: (any LiveCheckoutHook)?, placement: (any OrderPlacementHook)? = nil
    ) {
        self.database = database
        self.ids = ids
        self.clock = clock
        self.renderer = renderer
        self.liveCheckout = liveCheckout
        self.placement = placement
    }

    // MARK: - Reading

    /// An order the caller may see: their own, or any for merchants and admins.
    ///
    /// - Throws: `404 not_found` otherwise.
    public func order(_ id: String, visibleTo accountID: String, seesAll: Bool) async throws -> Order {
        let order = try await database.read { db in try OrderStore.order(id, in: db) }
        guard let order, seesAll || order.accountID == accountID else { throw PaymentsError.orderNotFound(id) }
        return order
    }

    /// The caller's orders, or everyone's when `accountID` is nil.
    public func orders(of accountID: String?, page: PageRequest) async throws -> Page<Order> {
        try await database.read { db in try OrderStore.orders(of: accountID, page: page, in: db) }
    }

    /// Whether the cart is empty, so `from_cart` can be refused before any work (a `400` is never stored).
    public func cartIsEmpty(_ accountID: String) async throws -> Bool {
        try await database.read { db in try CartStore.cart(of: accountID, in: db).items.isEmpty }
    }

    // MARK: - Checkout

    /// What an order would cost, computed by the checkout's own code inside a transaction that is then rolled back,
    /// so a quote answers exactly the errors a checkout would (API.md §14) and changes nothing.
    ///
    /// - Throws: as ``checkout(_:for:now:in:)`` except `402`: a quote reports `sufficientFunds` instead.
    public func quote(_ request: CheckoutRequest, for accountID: String, now: Int64) async throws -> Quote {
        do {
            try await database.write { [self] db in
                let priced = try price(request, for: accountID, orderID: ids.next("ord"), now: now, in: db)
                let balance = try Ledger.balance(of: Ledger.wallet(accountID), in: db)
                throw QuoteRollback(quote: Quote(
                    items: priced.items, subtotalCents: priced.subtotal, discountCents: priced.discount,
                    couponID: request.couponID, walletBalanceCents: balance
                ))
            }
        } catch let rollback as QuoteRollback {
            return rollback.quote
        }
        preconditionFailure("the quote transaction always rolls back")
    }

    /// Thrown out of the quote's transaction so that its stock, coupon and pin changes roll back.
    private struct QuoteRollback: Error {
        let quote: Quote
    }

    /// Places and pays an order in its own (keyed) transaction, then lets the live session publish it.
    ///
    /// - Throws: as ``checkout(_:for:now:in:)``, and the key's errors of `Database.write(keyed:…)`.
    public func checkout(
        _ request: CheckoutRequest, for accountID: String, key: IdempotencyKey? = nil, answering: Answering<Order> = .unkeyed
    ) async throws -> Keyed<Order> {
        let keyed = try await database.write(keyed: key, clock: clock, answering: answering) { [self] now, db in
            try checkout(request, for: accountID, now: now, in: db)
        }
        if let order = keyed.committed { didCommit(order) }
        return keyed
    }

    /// Places and pays an order inside the caller's write transaction; throws and leaves nothing behind
    /// (the transaction rolls back) on any failure.
    ///
    /// - Throws: `400` (empty cart, `pin_id` without a session or not among the items), `404` naming the line of an
    ///   unknown or inactive product, `live_session_id` or `pin_id`, `409 out_of_stock` naming the line,
    ///   `409 sold_out`, `409 invalid_state` (session not live, or `pin_id` an auction pin), `422 coupon_invalid`,
    ///   `402 insufficient_funds`.
    public func checkout(_ request: CheckoutRequest, for accountID: String, now: Int64, in db: any Transaction) throws -> Order {
        let orderID = ids.next("ord")
        let priced = try price(request, for: accountID, orderID: orderID, now: now, in: db)
        let (subtotal, discount) = (priced.subtotal, priced.discount)
        let total = subtotal - discount
        var entries = [
            LedgerEntry(account: Ledger.wallet(accountID), amountCents: -total, kind: "payment", reference: orderID),
            LedgerEntry(account: Ledger.merchantRevenue, amountCents: subtotal, kind: "payment", reference: orderID),
        ]
        // The customer pays the total, the merchant earns the subtotal, and marketing funds the difference.
        if discount > 0 {
            entries.append(
                LedgerEntry(account: Ledger.marketingSpend, amountCents: -discount, kind: "payment", reference: orderID)
            )
        }
        try Ledger.post(id: ids.next("txn"), kind: "payment", entries: entries, now: now, in: db)

        let order = Order(
            id: orderID, accountID: accountID, status: .paid, items: priced.items, subtotalCents: subtotal,
            discountCents: discount, totalCents: total, refundedCents: 0, couponID: request.couponID,
            liveSessionID: request.liveSessionID, pinID: request.pinID, createdAt: now, shippingAddress: priced.address
        )
        try OrderStore.insert(order, in: db)
        try EventLog.append(
            OrderEvent.paid, stream: EventLog.accountStream(accountID), data: renderer.json(order), now: now, in: db
        )
        if request.lines == nil { try CartStore.clear(accountID, now: now, in: db) }
        if let sessionID = request.liveSessionID, let hook = liveCheckout {
            try hook.recordOrder(
                sessionID: sessionID, orderID: orderID, accountID: accountID,
                lines: priced.items.map { (productID: $0.productID, quantity: $0.quantity) }, now: now, in: db
            )
        }
        try placement?.orderPlaced(order, shareID: priced.shareID, now: now, in: db)
        return order
    }

    /// Lines, stock, flash units and coupon of a checkout: everything but the payment and the order row.
    private func price(
        _ request: CheckoutRequest, for accountID: String, orderID: String, now: Int64, in db: any Transaction
    ) throws -> (items: [Order.Item], subtotal: Int64, discount: Int64, address: Address?, shareID: String?) {
        if request.pinID != nil, request.liveSessionID == nil {
            throw Failure.invalid("pin_id", "needs live_session_id")
        }
        let shareID = try request.shareCode.map { code in
            guard let placement else { throw Failure.invalid("share_code", "is not a known share code") }
            return try placement.shareID(forCode: code, in: db)
        }
        let address = try request.addressID.map { try AddressService.address($0, of: accountID, in: db) }
        let lines: [CheckoutRequest.Line]
        if let requested = request.lines {
            lines = requested
        } else {
            let cart = try CartStore.cart(of: accountID, in: db)
            guard !cart.items.isEmpty else { throw Failure.invalid("from_cart", "the cart is empty") }
            lines = cart.items.map { CheckoutRequest.Line(productID: $0.productID, quantity: $0.quantity) }
        }
        // Every line must name a product before any stock is checked, so a 404 always wins over a 409.
        let products = try lines.enumerated().map { index, line in
            guard let product = try ProductStore.product(line.productID, in: db), product.active else {
                throw Failure(
                    "not_found", .notFound, "Product \(line.productID) was not found",
                    fields: [FieldError(field: "items[\(index)].product_id", message: "does not exist")]
                )
            }
            return product
        }
        var pinnedProduct: String?
        if let sessionID = request.liveSessionID {
            guard let hook = liveCheckout else {
                throw Failure(
                    "not_found", .notFound, "Live session \(sessionID) was not found",
                    fields: [FieldError(field: "live_session_id", message: "does not exist")]
                )
            }
            pinnedProduct = try hook.admit(
                sessionID: sessionID, pinID: request.pinID, productIDs: products.map(\.id), now: now, in: db
            )
        }
        var items: [Order.Item] = []
        for (index, (line, product)) in zip(lines, products).enumerated() {
            var flashPrice: Int64?
            if let hook = liveCheckout, let sessionID = request.liveSessionID, let pinID = request.pinID,
               product.id == pinnedProduct
            {
                flashPrice = try hook.flashUnitPrice(
                    sessionID: sessionID, pinID: pinID, productID: product.id, quantity: line.quantity, now: now, in: db
                )
            }
            // Flash units left stock when they were pinned; only the others are taken now.
            if flashPrice == nil {
                try ProductStore.takeStock(
                    product.id, quantity: line.quantity, field: "items[\(index)].quantity", now: now, in: db
                )
            }
            items.append(Order.Item(
                line: index, productID: product.id, title: product.title, quantity: line.quantity,
                unitPriceCents: flashPrice ?? product.priceCents, flash: flashPrice != nil, refundedQuantity: 0
            ))
        }
        let subtotal = items.reduce(0) { $0 + $1.lineTotalCents }
        var discount: Int64 = 0
        if let couponID = request.couponID {
            discount = try CouponEngine.redeem(
                couponID: couponID, accountID: accountID, subtotalCents: subtotal, orderID: orderID, now: now, in: db
            )
        }
        return (items, subtotal, discount, address, shareID)
    }

    /// Lets the live session publish the order's events once the checkout committed.
    func didCommit(_ order: Order) {
        if let sessionID = order.liveSessionID { liveCheckout?.didCommit(sessionID: sessionID) }
    }
}
