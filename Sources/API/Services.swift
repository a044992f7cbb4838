import Accounts
import Core
import Foundation
import Storage

/// Everything the routes need, built once by `App`.
public struct Services: Sendable {
    public var database: Database
    public var clock: any WallClock
    public var ids: IDGenerator
    public var metrics: Metrics
    public var idempotency: Idempotency
    /// The `Content/` folder: OpenAPI document, games, texts, the web page.
    public var contentDirectory: URL
    public var accounts: AccountService

    public init(
        database: Database, clock: any WallClock, ids: IDGenerator, metrics: Metrics, contentDirectory: URL,
        accounts: AccountService
    ) {
        self.database = database
        self.clock = clock
        self.ids = ids
        self.metrics = metrics
        self.idempotency = Idempotency(database: database, clock: clock)
        self.contentDirectory = contentDirectory
        self.accounts = accounts
    }
}

/// All routes of the API; each feature contributes its list.
public enum Routes {
    public static func all(_ services: Services) -> [Route] {
        AccountRoutes.routes(services) + OperationsRoutes.routes(services) + BenchRoutes.routes(services) + WebRoutes.routes(services)
    }
}
