import Catalog
import Core
import LiveShopping
import Storage

/// Share links (API.md §20): a code for a product, a live session or a team that counts its visits and doubles as a
/// referral code at sign-up.
public final class ShareService: Sendable {
    /// Codes are 10 characters of 32 symbols without look-alikes (no 0/O, 1/I), 50 bits.
    static let codeAlphabet = Array("23456789ABCDEFGHJKLMNPQRSTUVWXYZ")
    static let codeLength = 10

    private let database: Database
    private let clock: any WallClock
    private let ids: IDGenerator

    public init(database: Database, clock: any WallClock, ids: IDGenerator) {
        self.database = database
        self.clock = clock
        self.ids = ids
    }

    /// The caller's share of a target: made once per account and target, answered again on a repeated request.
    ///
    /// - Throws: `404` naming `target_id` for a target that does not exist (or a product that is not for sale).
    public func share(_ target: ShareTarget, id targetID: String, by accountID: String) async throws -> Share {
        let now = clock.now().epochSeconds
        let ids = self.ids
        return try await database.write { db in
            guard try Self.exists(target, targetID, in: db) else {
                throw TeamError.notFound(field: "target_id", what: "\(target.rawValue) \(targetID)")
            }
            if let existing = try ShareStore.share(of: accountID, target: target, id: targetID, in: db) { return existing }
            let id = ids.next("shr")
            // A taken code is drawn again; with 50 bits a second draw is already rare.
            for _ in 0..<8 {
                let share = Share(
                    id: id, code: Self.newCode(), accountID: accountID, targetType: target, targetID: targetID, visits: 0,
                    createdAt: now, sharerName: ""
                )
                if try ShareStore.insert(share, in: db) { return try ShareStore.share(id: id, in: db)! }
            }
            throw Failure.invalidState("No free share code was found; try again")
        }
    }

    /// Opens a share link: counts the visit and answers the share with it. - Throws: `404` for an unknown code.
    public func visit(_ code: String) async throws -> Share {
        let normalized = Self.normalize(code)
        guard let share = try await database.write({ db in try ShareStore.visit(code: normalized, in: db) }) else {
            throw TeamError.shareNotFound(code)
        }
        return share
    }

    /// Whether a share has this code (sign-up checks a referral code before any work).
    public func exists(code: String) async throws -> Bool {
        let normalized = Self.normalize(code)
        return try await database.read { db in try ShareStore.share(code: normalized, in: db) != nil }
    }

    /// Referrals of the caller's share codes.
    public func referrals(of accountID: String) async throws -> ReferralCounts {
        try await database.read { db in try ReferralStore.counts(ofSharer: accountID, in: db) }
    }

    /// Every share the account made (its data export).
    public static func shares(of accountID: String, in db: any Transaction) throws -> [Share] {
        try ShareStore.shares(of: accountID, in: db)
    }

    /// Codes are upper-case; a code typed in lower case still opens its share.
    static func normalize(_ code: String) -> String { code.uppercased() }

    static func newCode() -> String {
        // 32 symbols divide 256: `byte % 32` is uniform.
        String(SecureRandom.bytes(codeLength).map { codeAlphabet[Int($0) % codeAlphabet.count] })
    }

    private static func exists(_ target: ShareTarget, _ id: String, in db: any Transaction) throws -> Bool {
        switch target {
        case .product: try ProductStore.product(id, in: db)?.active ?? false
        case .liveSession: try LiveService.sessionExists(id, in: db)
        case .team: try TeamStore.exists(id, in: db)
        }
    }
}
