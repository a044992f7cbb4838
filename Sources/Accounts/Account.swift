import Core
import Foundation

/// The roles of API.md §1; every account is a customer.
public enum Role: String, Sendable, CaseIterable, Comparable {
    case customer, host, merchant, admin
    /// Service agents (API.md §18): answer conversations, read and refund any order, grant goodwill.
    case agent

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One account for every module.
public struct Account: Sendable, Equatable {
    public var id: String
    public var email: String
    public var displayName: String
    public var roles: [Role]
    public var createdAt: Int64

    public init(id: String, email: String, displayName: String, roles: [Role], createdAt: Int64) {
        self.id = id
        self.email = email
        self.displayName = displayName
        self.roles = roles
        self.createdAt = createdAt
    }
}

/// Who is calling: the account behind a valid token, with its roles as of this request.
public struct Principal: Sendable, Equatable {
    public var accountID: String
    public var displayName: String
    public var roles: Set<Role>
    /// SHA-256 of the bearer token, so logout can revoke exactly this token.
    public var tokenHash: [UInt8]

    public init(accountID: String, displayName: String, roles: Set<Role>, tokenHash: [UInt8]) {
        self.accountID = accountID
        self.displayName = displayName
        self.roles = roles
        self.tokenHash = tokenHash
    }

    /// Admin may do everything (API.md §1).
    public func has(_ role: Role) -> Bool { role == .customer || roles.contains(role) || roles.contains(.admin) }

    /// Sees and refunds every order: merchants, agents and admins (API.md §6, §18).
    public var isOrderStaff: Bool { has(.merchant) || has(.agent) }
}

public enum AccountError: DomainError, Equatable {
    case emailTaken
    case invalidCredentials
    case tooManyAttempts(retryAfter: Int)
    case unknownEmail(String)
    case notFound

    public var code: String {
        switch self {
        case .emailTaken: "email_taken"
        case .invalidCredentials: "invalid_credentials"
        case .tooManyAttempts: "rate_limited"
        case .unknownEmail, .notFound: "not_found"
        }
    }

    public var kind: ErrorKind {
        switch self {
        case .emailTaken: .conflict
        case .invalidCredentials: .unauthorized
        case .tooManyAttempts: .rateLimited
        case .unknownEmail, .notFound: .notFound
        }
    }

    public var detail: String {
        switch self {
        case .emailTaken: "An account with this email already exists"
        case .invalidCredentials: "Email or password is wrong"
        case .tooManyAttempts: "Too many failed logins for this email; try again later"
        case let .unknownEmail(email): "No account has the email \(email)"
        case .notFound: "Account was not found"
        }
    }

    public var retryAfter: Int? {
        if case let .tooManyAttempts(seconds) = self { seconds } else { nil }
    }
}
