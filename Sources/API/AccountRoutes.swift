import Accounts
import Core
import HTTP
import Teams

/// API.md §2: sign-up, login, logout, the caller's account, role grants.
enum AccountRoutes {
    static func routes(_ s: Services) -> [Route] {
        [
            Route(.POST, "/v1/accounts", .everyone) { req in
                let body = try req.body(allowed: ["email", "password", "display_name", "referral_code"])
                let email = try email(body)
                let password = try password(body)
                let name = try body.text("display_name", 1...60)
                // A referral code is a share code (API.md §20); an unknown one is a 400 before any work.
                let referral = try body.optionalString("referral_code")
                if let referral, !(try await s.shares.exists(code: referral)) {
                    throw Failure.invalid("referral_code", "is not a known share code")
                }
                let (account, token) = try await s.accounts.register(email: email, password: password, displayName: name) {
                    account, db in
                    if let referral { try ReferralProgram.signUp(account.id, referralCode: referral, now: account.createdAt, in: db) }
                }
                return .json(201, ["account": account.json, "token": .string(token)])
            },
            Route(.POST, "/v1/sessions", .everyone) { req in
                let body = try req.body(allowed: ["email", "password"])
                let email = try body.string("email").trimmedWhitespace.lowercased()
                let password = try body.string("password")
                let (account, token) = try await s.accounts.login(email: email, password: password)
                return .json(201, ["account": account.json, "token": .string(token)])
            },
            Route(.DELETE, "/v1/sessions/current", .signedIn) { req in
                try await s.accounts.logout(req.caller)
                return .noContent
            },
            Route(.GET, "/v1/me", .signedIn) { req in
                .json(200, try await s.accounts.account(id: req.caller.accountID).json)
            },
            Route(.PATCH, "/v1/me", .signedIn) { req in
                let body = try req.body(allowed: ["display_name"])
                guard body.has("display_name") else {
                    return .json(200, try await s.accounts.account(id: req.caller.accountID).json)
                }
                let name = try body.text("display_name", 1...60)
                return .json(200, try await s.accounts.updateDisplayName(of: req.caller.accountID, to: name).json)
            },
            Route(.POST, "/v1/admin/accounts/{id}/roles", .role(.admin)) { req in
                let id = req.parameter("id")
                _ = try await s.accounts.account(id: id)
                let body = try req.body(allowed: ["role"])
                let role = Role(rawValue: try body.choice("role", Role.allCases.map(\.rawValue)))!
                return .json(200, try await s.accounts.grant(role, to: id).json)
            },
            Route(.POST, "/v1/event-tickets", .signedIn) { req in
                _ = try req.body(allowed: [])
                let (ticket, expires) = try await s.accounts.issueTicket(for: req.caller)
                return .json(201, ["ticket": .string(ticket), "expires_at": CommerceJSON.time(expires)])
            },
        ]
    }

    private static func email(_ body: Body) throws -> String {
        guard let email = AccountRules.normalizedEmail(try body.string("email")) else {
            throw Failure.invalid("email", "is not a valid email address")
        }
        return email
    }

    private static func password(_ body: Body) throws -> String {
        let password = try body.string("password")
        guard AccountRules.isValidPassword(password) else { throw Failure.invalid("password", "must be 10–200 characters") }
        return password
    }
}

extension Account {
    var json: JSON {
        [
            "id": .string(id), "email": .string(email), "display_name": .string(displayName),
            "roles": .array(roles.map { .string($0.rawValue) }), "created_at": .string(Timestamp.format(epochSeconds: createdAt)),
        ]
    }
}
