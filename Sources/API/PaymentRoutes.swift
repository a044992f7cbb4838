import Accounts
import Core
import HTTP
import Payments

/// API.md §5: the caller's wallet, top-ups, transfers and the ledger check.
enum PaymentRoutes {
    static func routes(_ s: Services) -> [Route] {
        [
            Route(.GET, "/v1/wallet", .signedIn) { req in
                let balance = try await s.wallet.balance(of: req.caller.accountID)
                return .json(200, ["balance_cents": .int(balance), "currency": .string(Money.currency)])
            },
            Route(.GET, "/v1/wallet/transactions", .signedIn) { req in
                let page = try await s.wallet.transactions(of: req.caller.accountID, page: try req.page())
                return .json(200, CommerceJSON.list(page, \.json))
            },
            Route(.POST, "/v1/wallet/top-ups", .signedIn) { req in
                let body = try req.body(allowed: ["amount_cents", "method"])
                let amount = try body.int("amount_cents", WalletService.topUpRange)
                let method = try body.choice("method", s.wallet.methodNames)
                let account = req.caller.accountID
                return HTTPResponse(try await s.wallet.topUp(
                    amount, method: method, for: account, key: try req.idempotencyKey(), answering: .json { $0.json }
                ))
            },
            Route(.POST, "/v1/wallet/transfers", .signedIn) { req in
                let body = try req.body(allowed: ["to_account_id", "amount_cents", "note"])
                let recipient = try body.string("to_account_id")
                let amount = try body.int("amount_cents", WalletService.transferRange)
                let note = try body.optionalText("note", 0...200)
                let sender = req.caller.accountID
                guard recipient != sender else { throw Failure.invalid("to_account_id", "cannot be your own account") }
                return HTTPResponse(try await s.wallet.transfer(
                    amount, from: sender, to: recipient, note: note, key: try req.idempotencyKey(), answering: .json { $0.json }
                ))
            },
            Route(.POST, "/v1/wallet/payouts", .signedIn) { req in
                let body = try req.body(allowed: ["amount_cents", "method"])
                let amount = try body.int("amount_cents", 1...Int64(Int32.max))
                _ = try body.choice("method", ["sandbox"])
                let account = req.caller.accountID
                return HTTPResponse(try await s.wallet.payout(
                    amount, for: account, key: try req.idempotencyKey(), answering: .json { $0.json }
                ))
            },
            Route(.GET, "/v1/admin/ledger/check", .role(.admin)) { _ in
                .json(200, try await s.wallet.check().json)
            },
        ]
    }
}
