import Accounts
import Core
import Coupons
import Feedback
import Games
import Insights
import LiveShopping
import Payments
import Social
import Storage
import Support
import Teams
import Trust

/// Everything an account owns, as domain values; the API renders it as one document (GDPR Art. 15 and 20).
public struct AccountExport: Sendable {
    public var account: Account
    public var addresses: [Address]
    public var consents: [ConsentRecord]
    public var settings: NotificationSettings
    public var payments: PaymentsExport
    public var coupons: [Coupon]
    public var plays: [Play]
    public var messages: [ChatMessage]
    public var inbox: [InboxItem]
    public var conversations: [Conversation]
    public var following: [Follow]
    public var surveyResponses: [SurveyResponse]
    public var communities: [Community]
    public var communityMessages: [CommunityMessage]
    public var redPackets: [RedPacket]
    public var experimentExposures: [ExperimentExposure] = []
    public var teams: [Team] = []
    public var shares: [Share] = []
    public var bids: [PlacedBid] = []
    public var generatedAt: Int64
}

public enum PrivacyError: DomainError, Equatable {
    case walletNotEmpty(balance: Int64)

    public var code: String { "wallet_not_empty" }
    public var kind: ErrorKind { .conflict }
    public var detail: String {
        if case let .walletNotEmpty(balance) = self {
            return "The wallet still holds \(balance) cents; pay it out first (POST /v1/wallet/payouts)"
        }
        return ""
    }
}

/// Data export and erasure (API.md §16, §24): one place that knows every module's share of an account.
public final class PrivacyService: Sendable {
    private let database: Database
    private let clock: any WallClock
    private let accounts: AccountService
    private let ids: IDGenerator

    public init(database: Database, clock: any WallClock, accounts: AccountService, ids: IDGenerator) {
        self.database = database
        self.clock = clock
        self.accounts = accounts
        self.ids = ids
    }

    /// One consistent snapshot of everything the account owns.
    public func export(of accountID: String) async throws -> AccountExport {
        let now = clock.now().epochSeconds
        return try await database.read { db in
            guard let account = try AccountService.account(id: accountID, in: db) else { throw AccountError.notFound }
            let trust = try InboxService.export(of: accountID, in: db)
            let community = try CommunityService.export(of: accountID, in: db)
            var export = AccountExport(
                account: account, addresses: try AddressService.addresses(of: accountID, in: db), consents: trust.consents,
                settings: trust.settings, payments: try OrderService.export(of: accountID, in: db),
                coupons: try CouponService.coupons(of: accountID, in: db), plays: try GameService.plays(of: accountID, in: db),
                messages: try LiveService.messages(of: accountID, in: db), inbox: trust.items,
                conversations: try ConversationService.conversations(of: accountID, in: db),
                following: try FollowService.following(of: accountID, in: db),
                surveyResponses: try SurveyService.responses(of: accountID, in: db),
                communities: community.communities, communityMessages: community.messages,
                redPackets: try RedPacketService.packets(of: accountID, in: db),
                experimentExposures: try ExperimentService.exposures(of: accountID, in: db), generatedAt: now
            )
            export.teams = try TeamService.teams(of: accountID, in: db)
            export.shares = try ShareService.shares(of: accountID, in: db)
            export.bids = try LiveService.bids(of: accountID, in: db)
            return export
        }
    }

    /// Erases the account by anonymisation: personal data goes, financial records stay under the account id for the
    /// statutory retention, and the ledger still balances.
    ///
    /// - Throws: `401 invalid_credentials` (wrong password), `409 wallet_not_empty`, `409 invalid_state` (money held).
    public func erase(_ accountID: String, password: String) async throws {
        try await accounts.verifyPassword(of: accountID, password)
        let now = clock.now().epochSeconds
        let ids = self.ids
        try await database.write { db in
            let balance = try Ledger.balance(of: Ledger.wallet(accountID), in: db)
            guard balance == 0 else { throw PrivacyError.walletNotEmpty(balance: balance) }
            // Money still held (a team buy, a bid, a red packet) must come back or be paid first.
            guard try Escrow.held(by: accountID, in: db) == 0 else {
                throw Failure.invalidState("Money is still held for a team buy, a bid or a red packet; wait until it is settled")
            }
            try AccountService.erase(accountID, now: now, in: db)
            try LiveService.erase(accountID, in: db)
            try InboxService.erase(accountID, ids: ids, now: now, in: db)
            try ConversationService.erase(accountID, in: db)
            try SurveyService.erase(accountID, in: db)
            try TeamService.erase(accountID, in: db)
            try ExperimentService.erase(accountID, in: db)
            try CommunityService.erase(accountID, in: db)
            try MessageRateLimit.erase(accountID, in: db)
            // The log's copies of orders carry the shipping address; the orders keep theirs for the retention period.
            try EventLog.rewrite(stream: EventLog.accountStream(accountID), in: db) { event in
                guard case let .object(members) = event.data, members.contains(where: { $0.0 == "shipping_address" })
                else { return nil }
                return .object(members.map { $0.0 == "shipping_address" ? ($0.0, .null) : $0 })
            }
            try EventLog.append(
                "account.erased", stream: EventLog.accountStream(accountID), data: ["account_id": .string(accountID)],
                now: now, in: db
            )
        }
        try await database.checkpoint()
    }
}
