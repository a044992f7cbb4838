import Accounts
import Catalog
import Core
import Coupons
import Foundation
import Games
import LiveShopping
import Payments
import Storage

/// Everything the routes need, built once by `App`.
public struct Services: Sendable {
    public var database: Database
    public var clock: any WallClock
    public var metrics: Metrics
    public var idempotency: Idempotency
    /// The `Content/` folder: OpenAPI document, games, texts, the web page.
    public var contentDirectory: URL
    public var accounts: AccountService
    public var catalog: CatalogService
    public var cart: CartService
    public var wallet: WalletService
    public var orders: OrderService
    /// Campaigns, codes and claims.
    public var coupons: CouponService
    /// Live shopping; also the checkout hook of `orders`, so it is built first.
    public var live: LiveService
    /// Mini-games, loaded from `contentDirectory/games` at start-up.
    public let games: GameService

    public init(
        database: Database, clock: any WallClock, ids: IDGenerator, metrics: Metrics, contentDirectory: URL,
        accounts: AccountService, searchCacheProducts: Int = CatalogService.defaultSearchCacheProducts
    ) throws {
        self.database = database
        self.clock = clock
        self.metrics = metrics
        self.idempotency = Idempotency(database: database, clock: clock)
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
        self.wallet = WalletService(database: database, ids: ids)
        self.coupons = CouponService(database: database, clock: clock, ids: ids)
        let live = LiveService(database: database, clock: clock, ids: ids, renderer: LiveJSON())
        self.live = live
        self.orders = OrderService(database: database, ids: ids, liveCheckout: live)
        metrics.gauge("basar_live_viewers") { live.totalViewers }
        // A malformed game file stops start-up with the file and the field named.
        self.games = try GameService(database: database, clock: clock, ids: ids, contentDirectory: contentDirectory)
    }
}

/// All routes of the API; each feature contributes its list.
public enum Routes {
    public static func all(_ services: Services) -> [Route] {
        AccountRoutes.routes(services) + OperationsRoutes.routes(services) + BenchRoutes.routes(services) + WebRoutes.routes(services)
            + CatalogRoutes.routes(services) + CartRoutes.routes(services) + PaymentRoutes.routes(services)
            + OrderRoutes.routes(services) + LiveRoutes.routes(services)
            + CouponRoutes.routes(services) + GameRoutes.routes(services)
    }
}
