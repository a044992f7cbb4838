import API
import Accounts
import Catalog
import Core
import Coupons
import Feedback
import Foundation
import Games
import HTTP
import HTTPServer
import Insights
import LiveShopping
import Payments
import Storage
import Signals
import Social
import Support
import Teams
import Trust

/// How `basar serve` runs.
public struct AppConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var databasePath = "basar.sqlite"
    public var contentDirectory = URL(fileURLWithPath: "Content")
    public var fixturesDirectory = URL(fileURLWithPath: "Fixtures")
    public var demo = false
    /// FULL by default: an order acknowledged with 201 survives a power cut; group commit keeps the throughput.
    public var synchronous: Database.Synchronous = .full
    /// SQLite's checkpoint threshold (``Database/Configuration/walCheckpointFrames``).
    public var walCheckpointPages = Database.Configuration().walCheckpointFrames
    public var logLevel: Logger.Level = .info
    /// Products that cached search pages may hold together; 0 turns the search cache off.
    public var searchCacheProducts = CatalogService.defaultSearchCacheProducts
    public var eventLoops = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 4))
    /// `--test-clock` (API.md §13): admins may move time forward; for tests and demos only.
    public var testClock = false
    /// `--bench-routes`: serve `/bench/*`, the fixed answers the load tests compare with peer servers.
    public var benchRoutes = false

    public init() {}
}

/// The server process: database, services, API and HTTP server wired together.
public final class BasarApp: Sendable {
    public let services: Services
    public let api: API
    /// Feeds the event log to its consumers.
    public let dispatcher: EventDispatcher
    private let server: HTTPServer
    private let logger: Logger

    /// Every module's migrations, in the order they must run.
    public static var migrations: [Migration] {
        EventLog.migrations + Scheduler.migrations + TestClockStore.migrations
            + AccountMigrations.all + Database.idempotencyMigrations + MessageRateLimit.migrations
            + CatalogMigrations.all + CouponMigrations.all
            + PaymentsMigrations.all + LiveMigrations.all + GameMigrations.all + TrustMigrations.all
            + TeamMigrations.all
            + [FollowService.migration, CommunityService.migration, SignalEngine.migration, SignalEngine.servedFirstMigration, ConversationService.migration, SurveyService.migration]
            + InsightsMigrations.all
    }

    /// Opens (and migrates) the database and builds everything; nothing listens yet.
    public init(_ configuration: AppConfiguration, clock injected: any WallClock = SystemClock()) async throws {
        let logger = Logger(minimumLevel: configuration.logLevel)
        self.logger = logger
        let testClock = configuration.testClock ? AdjustableClock() : nil
        let clock: any WallClock = testClock ?? injected
        var storage = Database.Configuration(synchronous: configuration.synchronous)
        storage.walCheckpointFrames = configuration.walCheckpointPages
        let database = try Database(path: configuration.databasePath, configuration: storage)
        let ids = IDGenerator.timeOrdered(clock: clock, appended: IDGenerator.appendedPrefixes)
        let hashing = WorkerPool(name: "password-hashing", threads: 2)
        let accounts = AccountService(database: database, clock: clock, ids: ids, hashing: hashing)
        let services: Services
        do {
            try await database.migrate(Self.migrations)
            if let testClock {
                testClock.setOffset(try await database.read { db in try TestClockStore.offset(in: db) })
                logger.warning("the test clock is on: admins can move time forward (never use --test-clock in production)")
            }
            services = try Services(
                database: database, clock: clock, ids: ids, metrics: Metrics(),
                contentDirectory: configuration.contentDirectory, accounts: accounts,
                searchCacheProducts: configuration.searchCacheProducts, testClock: testClock, logger: logger
            )
            if configuration.demo {
                try await DemoData.load(from: configuration.fixturesDirectory, into: services, logger: logger)
            }
        } catch {
            // A connection left open on a file that is later deleted shares SQLite's per-inode lock state with
            // any new file that reuses the inode (https://sqlite.org/howtocorrupt.html, section 2): close first.
            database.close()
            throw error
        }
        self.services = services
        let dispatcher = EventDispatcher(
            database: database, consumers: Consumers.all(services), clock: clock, logger: logger
        )
        self.dispatcher = dispatcher
        services.scheduler.runAfter { await dispatcher.catchUp() }
        if let testClock, database.dialect == .postgres { services.scheduler.followTestClock(testClock) }
        let routes = Routes.all(services) + (configuration.benchRoutes ? BenchRoutes.routes(services) : [])
        let api = API(routes: routes, accounts: accounts, metrics: services.metrics, logger: logger)
        self.api = api
        var serverConfiguration = ServerConfiguration()
        serverConfiguration.host = configuration.host
        serverConfiguration.port = configuration.port
        serverConfiguration.eventLoops = configuration.eventLoops
        server = HTTPServer(configuration: serverConfiguration, logger: logger) { request in
            await api.handle(request)
        }
        services.metrics.gauge("basar_open_connections") { [server] in server.openConnections }
        services.metrics.gauge("basar_open_event_streams") { [server] in server.openStreams }
        services.metrics.gauge("basar_account_streams") { [services] in services.accountEvents.openStreams }
    }

    /// Binds and starts serving; returns the bound port.
    @discardableResult
    public func start() throws -> Int {
        try server.start()
        dispatcher.start()
        services.scheduler.start()
        services.accountEvents.start()
        services.communityEvents.start()
        logger.info("listening", ["port": String(server.port)])
        return server.port
    }

    public var port: Int { server.port }

    /// Stops accepting, lets requests in flight finish (10 s at most), closes streams and the database.
    public func shutdown() async {
        logger.info("shutting down")
        await server.shutdown()
        // The live timer, the scheduler and the dispatcher write to the database; they stop before it closes.
        services.live.stop()
        await services.live.withdrawViewers()
        await services.scheduler.stop()
        await dispatcher.stop()
        await services.accountEvents.stop()
        await services.communityEvents.stop()
        services.database.close()
        logger.info("stopped")
    }

    /// Serves until SIGTERM or SIGINT, then shuts down gracefully.
    public func runUntilSignalled() async throws {
        // Caught before the port opens: a supervisor (or a test) that signals as soon as /healthz answers gets a
        // graceful stop, not the default action (exit 130 or 143) of a signal that came before the handler.
        let signals = Signals([SIGTERM, SIGINT])
        try start()
        await signals.wait()
        await shutdown()
    }
}

/// Termination signals, caught from creation on without a thread blocked in `sigwait`.
final class Signals: Sendable {
    private let state = Mutex<(fired: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    init(_ signals: [Int32]) {
        let queue = DispatchQueue(label: "signals")
        var sources: [any DispatchSourceSignal] = []
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [self] in fire() }
            source.resume()
            sources.append(source)
        }
        // The sources must outlive this object's users; the process exits after shutdown anyway.
        SignalSources.keep(sources)
    }

    /// Returns once one of the signals came, at once if one came already.
    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let fired = state.withLock { state -> Bool in
                if !state.fired { state.waiter = continuation }
                return state.fired
            }
            if fired { continuation.resume() }
        }
    }

    private func fire() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.fired = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }
}

private enum SignalSources {
    nonisolated(unsafe) private static var kept: [any DispatchSourceSignal] = []
    static func keep(_ sources: [any DispatchSourceSignal]) { kept.append(contentsOf: sources) }
}
