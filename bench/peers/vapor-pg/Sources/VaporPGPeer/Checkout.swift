import Fluent
import FluentPostgresDriver
import Vapor

/// `POST /v1/orders` `{"items": [{"product_id", "quantity"}]}` (API.md §6 without coupons, carts or live sessions).
struct CheckoutRequest: Content {
    struct Line: Content {
        let productID: String
        let quantity: Int64

        enum CodingKeys: String, CodingKey {
            case productID = "product_id", quantity
        }
    }

    let items: [Line]
}

/// What the checkout refuses; each becomes Basar's problem answer.
enum CheckoutError: Error {
    case notFound(productID: String, line: Int)
    case outOfStock(productID: String, available: Int64, line: Int)
    case insufficientFunds(balance: Int64, needed: Int64)

    var response: Response {
        switch self {
        case let .notFound(id, _):
            Problem.response(404, "not_found", "Not found", "Product \(id) was not found")
        case let .outOfStock(id, available, _):
            Problem.response(409, "out_of_stock", "Out of stock", "Only \(available) left of \(id)")
        case let .insufficientFunds(balance, needed):
            Problem.response(
                402, "insufficient_funds", "Insufficient funds", "Balance \(balance) cents, needed \(needed) cents"
            )
        }
    }
}

enum CheckoutRoutes {
    /// Authenticates as Basar does (the SHA-256 of the bearer token looked up in `access_tokens`, then the roles),
    /// then runs ``placeOrder(_:for:now:on:)`` in one transaction, retried on serialization failure and deadlock
    /// (SQLSTATE 40001, 40P01) as Basar's engine retries them.
    @Sendable static func checkout(_ req: Request) async throws -> Response {
        guard let token = req.headers.bearerAuthorization?.token, (16...256).contains(token.utf8.count),
              let accountID = try await account(forToken: token, on: req.db)
        else {
            return Problem.response(401, "unauthenticated", "Unauthenticated", "A valid bearer token is required")
        }
        let request = try req.content.decode(CheckoutRequest.self)
        guard (1...50).contains(request.items.count), request.items.allSatisfy({ (1...99).contains($0.quantity) }) else {
            return Problem.response(400, "invalid_request", "Invalid request", "1–50 items of quantity 1–99")
        }
        for attempt in 1... {
            do {
                let order = try await req.db.transaction { db in
                    try await placeOrder(request, for: accountID, now: Int64(Date().timeIntervalSince1970), on: db)
                }
                return try JSONCoding.response(.created, order)
            } catch let error as CheckoutError {
                return error.response
            } catch let error as PSQLError where attempt < 5 && isRetryable(error) {
                continue
            }
        }
        preconditionFailure("unreachable: the loop returns or throws")
    }

    static func isRetryable(_ error: PSQLError) -> Bool {
        guard let state = error.serverInfo?[.sqlState] else { return false }
        return state == "40001" || state == "40P01"
    }

    static func account(forToken token: String, on db: any Database) async throws -> String? {
        let sql = db as! any SQLDatabase
        let hash = Data(SHA256.hash(data: Data(token.utf8)))
        guard let row = try await sql.raw("""
            SELECT a.id, a.display_name FROM access_tokens t JOIN accounts a ON a.id = t.account_id
            WHERE t.token_hash = \(bind: hash)
            """).first()
        else { return nil }
        let id = try row.decode(column: "id", as: String.self)
        _ = try await sql.raw("SELECT role FROM account_roles WHERE account_id = \(bind: id)").all()
        return id
    }

    /// Basar's checkout statements in Basar's order (OrderService.checkout, ProductStore, Ledger.post, OrderStore,
    /// EventLog.append, the referral hook), inside the caller's transaction.
    static func placeOrder(
        _ request: CheckoutRequest, for accountID: String, now: Int64, on db: any Database
    ) async throws -> OrderJSON {
        let sql = db as! any SQLDatabase
        let orderID = IDs.next("ord")
        // Every line must name an active product before any stock is taken, so a 404 wins over a 409.
        var products: [ProductModel] = []
        for (index, line) in request.items.enumerated() {
            guard let product = try await ProductModel.find(line.productID, on: db), product.active != 0 else {
                throw CheckoutError.notFound(productID: line.productID, line: index)
            }
            products.append(product)
        }
        var items: [OrderJSON.Item] = []
        for (index, (line, product)) in zip(request.items, products).enumerated() {
            let taken = try await sql.raw("""
                UPDATE products SET stock = stock - \(bind: line.quantity), updated_at = \(bind: now)
                WHERE id = \(bind: line.productID) AND stock >= \(bind: line.quantity) RETURNING stock
                """).first()
            guard taken != nil else {
                let available = try await ProductModel.find(line.productID, on: db)?.stock ?? 0
                throw CheckoutError.outOfStock(productID: line.productID, available: available, line: index)
            }
            items.append(OrderJSON.Item(
                productID: line.productID, title: product.title, quantity: line.quantity,
                unitPriceCents: product.priceCents
            ))
        }
        let order = OrderJSON(id: orderID, accountID: accountID, items: items, createdAt: Money.time(now))
        let subtotal = order.subtotal_cents

        // Ledger.post: the customer pays the total, the merchant earns the subtotal (no coupon here).
        let transactionID = IDs.next("txn")
        let wallet = "wallet:\(accountID)"
        try await sql.raw("""
            INSERT INTO ledger_transactions (id, kind, created_at) VALUES (\(bind: transactionID), 'payment', \(bind: now))
            """).run()
        for (account, amount) in [(wallet, -subtotal), ("merchant:revenue", subtotal)] {
            if account.hasPrefix("wallet:") {
                try await sql.raw("""
                    INSERT INTO ledger_accounts (id, kind, balance_cents, created_at)
                    VALUES (\(bind: account), 'wallet', 0, \(bind: now)) ON CONFLICT (id) DO NOTHING
                    """).run()
            }
            guard let moved = try await sql.raw("""
                UPDATE ledger_accounts SET balance_cents = balance_cents + \(bind: amount)
                WHERE id = \(bind: account) AND (kind <> 'wallet' OR balance_cents + \(bind: amount) >= 0)
                RETURNING balance_cents
                """).first()
            else {
                let balance = try await sql.raw(
                    "SELECT balance_cents FROM ledger_accounts WHERE id = \(bind: account)"
                ).first()?.decode(column: "balance_cents", as: Int64.self) ?? 0
                throw CheckoutError.insufficientFunds(balance: balance, needed: -amount)
            }
            let after = try moved.decode(column: "balance_cents", as: Int64.self)
            try await sql.raw("""
                INSERT INTO ledger_entries (transaction_id, ledger_account_id, amount_cents, balance_after_cents, kind,
                    reference, note, created_at)
                VALUES (\(bind: transactionID), \(bind: account), \(bind: amount), \(bind: after), 'payment',
                    \(bind: orderID), NULL, \(bind: now))
                """).run()
        }

        // OrderStore.insert
        try await sql.raw("""
            INSERT INTO orders (id, account_id, status, subtotal_cents, discount_cents, total_cents, refunded_cents,
                coupon_id, live_session_id, pin_id, created_at, shipping_address)
            VALUES (\(bind: orderID), \(bind: accountID), 'paid', \(bind: subtotal), 0, \(bind: subtotal), 0, NULL, NULL,
                NULL, \(bind: now), NULL)
            """).run()
        for (line, item) in items.enumerated() {
            try await sql.raw("""
                INSERT INTO order_items (order_id, line, product_id, title, quantity, unit_price_cents, flash,
                    refunded_quantity)
                VALUES (\(bind: orderID), \(bind: Int64(line)), \(bind: item.product_id), \(bind: item.title),
                    \(bind: item.quantity), \(bind: item.unit_price_cents), 0, 0)
                """).run()
        }

        // EventLog.append(order.paid): the per-stream counter row, then the event with the Order as JSON.
        let stream = "account:\(accountID)"
        let sequence = try await sql.raw("""
            INSERT INTO event_streams (stream, last_sequence) VALUES (\(bind: stream), 1)
            ON CONFLICT (stream) DO UPDATE SET last_sequence = event_streams.last_sequence + 1
            RETURNING last_sequence
            """).first()?.decode(column: "last_sequence", as: Int64.self) ?? 1
        let data = String(decoding: try JSONCoding.encoder.encode(order), as: UTF8.self)
        _ = try await sql.raw("""
            INSERT INTO domain_events (stream, sequence, name, data, created_at)
            VALUES (\(bind: stream), \(bind: sequence), 'order.paid', \(bind: data), \(bind: now)) RETURNING id
            """).first()

        // Teams.ReferralProgram.orderPlaced: is this a referred buyer's first order? (No referrals in the bench.)
        _ = try await sql.raw("""
            SELECT share_id, sharer_id FROM referrals WHERE account_id = \(bind: accountID) AND status = 'pending'
            """).first()
        return order
    }
}

/// Basar's opaque ids (Core.IDGenerator): the prefix, `_` and 16 random base-62 characters.
enum IDs {
    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    static func next(_ prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        return prefix + "_" + String((0..<16).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
