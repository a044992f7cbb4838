import Core
import Foundation
import Storage

/// Sign-up, login, tokens and roles: the one account model every module refers to.
public final class AccountService: Sendable {
    /// API.md §12: 10 failed attempts per email within a sliding 15 minutes.
    public static let maxFailedLogins = 10
    public static let failureWindowSeconds: Int64 = 15 * 60

    let database: Database
    private let clock: any WallClock
    private let ids: IDGenerator
    private let hashing: WorkerPool

    /// - Parameters:
    ///   - hashing: where password hashes are computed; never an event loop or the cooperative pool.
    public init(database: Database, clock: any WallClock, ids: IDGenerator, hashing: WorkerPool) {
        self.database = database
        self.clock = clock
        self.ids = ids
        self.hashing = hashing
    }

    /// Creates an account and logs it in.
    /// - Parameter extra: more work inside the sign-up's transaction (a referral, API.md §20); its error undoes all.
    /// - Throws: `AccountError.emailTaken` when the (lower-cased) email exists.
    public func register(
        email: String, password: String, displayName: String,
        within extra: (@Sendable (Account, any Transaction) throws -> Void)? = nil
    ) async throws -> (Account, String) {
        let hash = try await hashing.run { PasswordHasher.hash(Self.prehash(password)) }
        let account = Account(
            id: ids.next("acct"), email: email, displayName: displayName, roles: [.customer],
            createdAt: clock.now().epochSeconds
        )
        let (token, tokenHash) = Self.newToken()
        try await database.write { db in
            try AccountStore.insert(account, passwordHash: hash, in: db)
            try AccountStore.insertToken(hash: tokenHash, accountID: account.id, at: account.createdAt, in: db)
            try extra?(account, db)
        }
        return (account, token)
    }

    /// The event a wrong password for an existing account appends.
    public static let loginFailed = "account.login_failed"

    /// Checks a password and issues a new token.
    /// - Throws: `invalidCredentials` for a wrong password or unknown email alike; `tooManyAttempts` past the limit,
    ///   even with the right password.
    public func login(email: String, password: String) async throws -> (Account, String) {
        let now = clock.now().epochSeconds
        let since = now - Self.failureWindowSeconds
        // Every attempt is counted as a failure before the password is checked, in one write transaction with the
        // limit check, and forgiven only if it succeeds: parallel guesses cannot all pass the check before any of
        // them is recorded.
        let attempt = try await database.write { db -> Int64 in
            let failures = try AccountStore.recentFailures(email: email, since: since, in: db)
            if failures.count >= Self.maxFailedLogins {
                let oldest = failures[failures.count - Self.maxFailedLogins]
                throw AccountError.tooManyAttempts(retryAfter: Int(max(1, oldest + Self.failureWindowSeconds - now + 1)))
            }
            return try AccountStore.recordFailure(email: email, at: now, forgettingBefore: since, in: db)
        }
        let found = try await database.read { db in try AccountStore.credentials(email: email, in: db) }
        // Hash even for an unknown email so both answers take the same time.
        let stored = found?.passwordHash ?? Self.decoyHash
        let matches: Bool
        do {
            matches = try await hashing.run { PasswordHasher.verify(Self.prehash(password), hash: stored) }
        } catch {
            // The pool was too busy to check: that was no guess, so it does not count.
            _ = try? await database.write { db in try AccountStore.forgiveFailure(attempt, in: db) }
            throw error
        }
        guard let (account, _) = found, matches else {
            if let (account, _) = found {
                // The login-help signal (API.md §17) counts these for existing accounts only.
                _ = try? await database.write { db in
                    try EventLog.append(
                        Self.loginFailed, stream: EventLog.accountStream(account.id),
                        data: ["account_id": .string(account.id)], now: now, in: db
                    )
                }
            }
            throw AccountError.invalidCredentials
        }
        let (token, tokenHash) = Self.newToken()
        try await database.write { db in
            try AccountStore.forgiveFailure(attempt, in: db)
            try AccountStore.insertToken(hash: tokenHash, accountID: account.id, at: now, in: db)
        }
        return (account, token)
    }

    /// The caller behind a bearer token, with roles read now so a grant applies at once.
    public func principal(forToken token: String) async throws -> Principal? {
        guard (16...256).contains(token.utf8.count) else { return nil }
        let hash = SHA256.hash(Array(token.utf8))
        return try await database.lookup { db in try AccountStore.principal(tokenHash: hash, in: db) }
    }

    /// Revokes exactly the token the caller used.
    public func logout(_ principal: Principal) async throws {
        try await database.write { db in try AccountStore.deleteToken(hash: principal.tokenHash, in: db) }
    }

    public func account(id: String) async throws -> Account {
        guard let account = try await database.read({ db in try AccountStore.account(id: id, in: db) }) else {
            throw AccountError.notFound
        }
        return account
    }

    public func updateDisplayName(of id: String, to name: String) async throws -> Account {
        try await database.write { db in
            try AccountStore.setDisplayName(name, of: id, in: db)
            guard let account = try AccountStore.account(id: id, in: db) else { throw AccountError.notFound }
            return account
        }
    }

    /// Grants a role by account id; answers the account. Granting twice is harmless.
    public func grant(_ role: Role, to id: String) async throws -> Account {
        try await database.write { db in try Self.grant(role, to: id, in: db) }
    }

    /// Grants a role inside the caller's transaction (the CLI and demo loader use this).
    public static func grant(_ role: Role, to id: String, in db: any Transaction) throws -> Account {
        guard try AccountStore.account(id: id, in: db) != nil else { throw AccountError.notFound }
        if role != .customer {
            try AccountStore.addRole(role, to: id, in: db)
        }
        return try AccountStore.account(id: id, in: db)!
    }

    var now: Int64 { clock.now().epochSeconds }

    /// Checks the caller's password again before an irreversible step (erasure).
    /// - Throws: `401 invalid_credentials` for a wrong password.
    public func verifyPassword(of accountID: String, _ password: String) async throws {
        let stored = try await database.read { db in try AccountStore.passwordHash(of: accountID, in: db) }
        let hash = stored ?? Self.decoyHash
        let matches = try await hashing.run { PasswordHasher.verify(Self.prehash(password), hash: hash) }
        guard stored != nil, matches else { throw AccountError.invalidCredentials }
    }

    /// Erases the account's personal data inside the caller's transaction (API.md §16).
    public static func erase(_ accountID: String, now: Int64, in db: any Transaction) throws {
        guard try AccountStore.anonymize(accountID, now: now, in: db) else { throw AccountError.notFound }
    }

    /// An account inside the caller's transaction, nil when unknown.
    public static func account(id: String, in db: any Transaction) throws -> Account? {
        try AccountStore.account(id: id, in: db)
    }

    /// Whether the account was erased (its refunds go to the ledger's payable account).
    public static func isErased(_ accountID: String, in db: any Transaction) throws -> Bool {
        try AccountStore.isErased(accountID, in: db)
    }

    /// Takes a role away inside the caller's transaction (the CLI's `accounts revoke`); `customer` stays.
    ///
    /// - Throws: `404` for an unknown account.
    public static func revoke(_ role: Role, from id: String, in db: any Transaction) throws -> Account {
        guard try AccountStore.account(id: id, in: db) != nil else { throw AccountError.notFound }
        try AccountStore.removeRole(role, from: id, in: db)
        return try AccountStore.account(id: id, in: db)!
    }

    /// The id of the account with this email, for the CLI.
    public static func accountID(email: String, in db: any Transaction) throws -> String? {
        try AccountStore.accountID(email: email, in: db)
    }

    /// Whether an account exists; other modules check recipients with this.
    public static func exists(_ id: String, in db: any Transaction) throws -> Bool {
        try AccountStore.exists(id, in: db)
    }

    public static func displayName(of id: String, in db: any Transaction) throws -> String? {
        try AccountStore.displayName(of: id, in: db)
    }

    /// crypt(3) stops at a NUL byte and refuses more than 512 bytes, while a valid password may be 200 four-byte
    /// code points; hashing the UTF-8 bytes first gives crypt a fixed 64-character input for every password.
    static func prehash(_ password: String) -> String { Hex.encode(SHA256.hash(Array(password.utf8))) }

    /// 256 random bits for the client; only the SHA-256 is stored.
    static func newToken() -> (String, [UInt8]) {
        let token = Hex.encode(SecureRandom.bytes(32))
        return (token, SHA256.hash(Array(token.utf8)))
    }

    private static let decoyHash = PasswordHasher.hash(prehash("decoy password that matches nothing"))
}
