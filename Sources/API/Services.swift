import Accounts
import Catalog
import Core
import Coupons
import Foundation
import Feedback
import Games
import Insights
import LiveShopping
import Payments
import Storage
import Privacy
import Signals
import Social
import Support
import Teams
import Trust

/// Everything the routes need, built once by `App`.
public struct Services: Sendable {
    public var database: Database
    /// The one clock (API.md §13); every rule that depends on time reads it.
    public var clock: any WallClock
    /// Set only with `basar serve --test-clock`: the clock that `POST /v1/admin/test-clock` moves.
    public var testClock: AdjustableClock?
    /// Due work (pin ends, delays, SLAs), durable in the database.
    public var scheduler: Scheduler
    /// Makes the prefixed random ids (API.md §1).
    public var ids: IDGenerator
    public var metrics: Metrics
    /// The `Content/` folder: OpenAPI document, games, texts, the web page.
    public var contentDirectory: URL
    public var accounts: AccountService
    public var catalog: CatalogService
    public var cart: CartService
    public var wallet: WalletService
    public var orders: OrderService
    /// Delivery addresses (API.md §15).
    public var addresses: AddressService
    /// Inbox, settings, consents (API.md §16).
    public var inbox: InboxService
    /// Data export and erasure (API.md §16).
    public var privacy: PrivacyService
    /// The account event streams of `GET /v1/me/events` (API.md §13).
    public var accountEvents: EventLogStreams
    /// Surveys and the feedback report (API.md §19).
    public var surveys: SurveyService
    /// Service conversations (API.md §18).
    public var conversations: ConversationService
    /// Communities, red packets and their event streams (API.md §20).
    public var communities: CommunityService
    public var redPackets: RedPacketService
    public var communityEvents: EventLogStreams
    /// Team buys, share links and referrals (API.md §20).
    public var teams: TeamService
    public var shares: ShareService
    /// Follows of hosts (API.md §20).
    public var follows: FollowService
    /// The signal rules of `Content/signals` over the event log (API.md §17).
    public var signals: SignalEngine
    /// Experiments, recommendations and the attribution trail (API.md §21).
    public var experiments: ExperimentService
    public var recommendations: RecommendationService
    public var attribution: AttributionService
    /// Campaigns, codes and claims.
    public var coupons: CouponService
    /// Live shopping; also the checkout hook of `orders`, so it is built first.
    public var live: LiveService
    /// Mini-games, loaded from `contentDirectory/games` at start-up.
    public let games: GameService

    public init(
        database: Database, clock: any WallClock, ids: IDGenerator, metrics: Metrics, contentDirectory: URL,
        accounts: AccountService, searchCacheProducts: Int = CatalogService.defaultSearchCacheProducts,
        testClock: AdjustableClock? = nil, logger: Logger = Logger(minimumLevel: .error)
    ) throws {
        self.database = database
        self.clock = clock
        self.testClock = testClock
        self.ids = ids
        self.scheduler = Scheduler(database: database, clock: clock, logger: logger)
        self.metrics = metrics
        self.contentDirectory = contentDirectory
        self.accounts = accounts
        let categoryNames = (try? CatalogService.categoryNames(
            from: contentDirectory.appendingPathComponent("categories.json")
        )) ?? [:]
        self.catalog = CatalogService(
            database: database, clock: clock, ids: ids, categoryNames: categoryNames,
            searchCacheProducts: searchCacheProducts
        )
        self.cart = CartService(database: database, clock: clock)
        self.wallet = WalletService(database: database, ids: ids, clock: clock)
        self.coupons = CouponService(database: database, clock: clock, ids: ids)
        let live = LiveService(database: database, clock: clock, ids: ids, renderer: LiveJSON(), logger: logger)
        self.live = live
        let renderer = CommerceEventRenderer()
        // Referrals see every order in its transaction (API.md §24); their coupons come from the keyed campaign.
        let orders = OrderService(
            database: database, ids: ids, clock: clock, renderer: renderer, liveCheckout: live,
            placement: ReferralProgram(ids: ids, coupons: KeyedCampaignIssuer(ids: ids))
        )
        self.orders = orders
        let teams = TeamService(database: database, clock: clock, ids: ids, orders: orders)
        self.teams = teams
        self.shares = ShareService(database: database, clock: clock, ids: ids)
        scheduler.handle(TeamService.expiryJob) { job, now, db in try teams.expire(job.key, now: now, in: db) }
        self.addresses = AddressService(database: database, clock: clock, ids: ids)
        self.privacy = PrivacyService(database: database, clock: clock, accounts: accounts, ids: ids)
        self.inbox = try InboxService(
            database: database, clock: clock, ids: ids, privacyDirectory: contentDirectory.appendingPathComponent("privacy")
        )
        let issuer = KeyedCampaignIssuer(ids: ids)
        self.accountEvents = EventLogStreams(database: database, eventName: EventStreamRoute.accountEventName)
        self.follows = FollowService(database: database, clock: clock)
        self.communities = CommunityService(database: database, clock: clock, ids: ids, rateLimiter: MessageRateLimiter())
        self.communityEvents = EventLogStreams(database: database, eventName: CommunityRoutes.communityEventName)
        let redPackets = RedPacketService(database: database, clock: clock, ids: ids)
        self.redPackets = redPackets
        scheduler.handle(RedPacketService.expireJob) { job, now, db in try redPackets.expire(job.key, now: now, in: db) }
        self.conversations = ConversationService(database: database, clock: clock, ids: ids)
        self.surveys = SurveyService(
            surveys: try Survey.load(from: contentDirectory.appendingPathComponent("surveys")), database: database,
            clock: clock, ids: ids
        )
        surveys.register(on: scheduler)
        scheduler.handle(ConversationService.deadlineJob) { job, now, db in
            try ConversationService.checkDeadline(job.key, ids: ids, now: now, in: db)
        }
        // Rules and game files that name an experiment ask Insights for the variant: one assignment, one exposure log.
        let variants = ExperimentVariantSource()
        // A malformed rule file stops start-up with the file and field named.
        self.signals = SignalEngine(
            rules: try SignalRule.load(from: contentDirectory.appendingPathComponent("signals")), ids: ids, coupons: issuer,
            experiments: variants
        )
        signals.register(on: scheduler)
        let accountEvents = self.accountEvents
        signals.serveFirst { accountEvents.openStreams(withPrefix: EventLog.accountStream("")) }
        self.experiments = ExperimentService(database: database, clock: clock, ids: ids)
        self.recommendations = RecommendationService(database: database, clock: clock)
        recommendations.register(on: scheduler)
        self.attribution = AttributionService(
            database: database, sources: AttributionService.builtInSources + [SocialTouchpointSource()]
        )
        scheduler.handle(SendPath.waitingJobKind) { job, now, db in
            try SendPath.deliverWaiting(job, ids: ids, coupons: issuer, now: now, in: db)
        }
        scheduler.handle(OrderEvent.delayCheck) { job, now, db in
            try OrderService.checkDelay(shipmentID: job.key, renderer: renderer, now: now, in: db)
        }
        live.register(on: scheduler, orders: orders)
        metrics.gauge("basar_live_viewers") { live.totalViewers }
        // A malformed game file stops start-up with the file and the field named.
        self.games = try GameService(
            database: database, clock: clock, ids: ids, contentDirectory: contentDirectory, experiments: variants
        )
    }
}

/// All routes of the API; each feature contributes its list.
public enum Routes {
    public static func all(_ services: Services) -> [Route] {
        AccountRoutes.routes(services) + OperationsRoutes.routes(services) + WebRoutes.routes(services)
            + CatalogRoutes.routes(services) + CartRoutes.routes(services) + PaymentRoutes.routes(services)
            + OrderRoutes.routes(services) + DeliveryRoutes.routes(services) + InboxRoutes.routes(services)
            + PrivacyRoutes.routes(services) + SocialRoutes.routes(services) + CommunityRoutes.routes(services)
            + SupportRoutes.routes(services) + FeedbackRoutes.routes(services) + [EventStreamRoute.accountRoute(services)] + LiveRoutes.routes(services)
            + CouponRoutes.routes(services) + GameRoutes.routes(services) + TeamRoutes.routes(services) + InsightsRoutes.routes(services)
    }
}
