import Core
import Payments
import Storage

/// One step of an order's trail (API.md §21): a stream, a pin, a share, a game play, a coupon, a signal or a team.
public struct Touchpoint: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        // In the order a trail reads when two steps share a second: where the customer came from, then what
        // they were given.
        case liveSession = "live_session", pin, share, team, gamePlay = "game_play", signal, coupon
    }

    public var type: Kind
    public var id: String
    /// Its object's `created_at` (API.md §24).
    public var at: Int64
    /// Extra fields some kinds carry, such as the `rule` of a signal.
    public var details: [(String, String)]

    public init(type: Kind, id: String, at: Int64, details: [(String, String)] = []) {
        self.type = type
        self.id = id
        self.at = at
        self.details = details
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.type == rhs.type && lhs.id == rhs.id && lhs.at == rhs.at
            && lhs.details.map(\.0) == rhs.details.map(\.0) && lhs.details.map(\.1) == rhs.details.map(\.1)
    }

    /// Oldest first; at the same second, in ``Kind`` order, then by id.
    static func precedes(_ a: Touchpoint, _ b: Touchpoint) -> Bool {
        if a.at != b.at { return a.at < b.at }
        let (ra, rb) = (Kind.allCases.firstIndex(of: a.type)!, Kind.allCases.firstIndex(of: b.type)!)
        return ra != rb ? ra < rb : a.id < b.id
    }
}

/// Where touchpoints come from, one implementation per module that knows a kind of them.
///
/// The seam for the modules that come later: shares (`POST /v1/shares`, an order's `share_code`, the referral of a
/// new account's first order and of a referral coupon) and team buys give `App` a source each, and nothing here
/// changes. Each runs inside the attribution read's transaction.
public protocol TouchpointSource: Sendable {
    /// - Parameter order: the order as stored, with its coupon, live session and pin.
    func touchpoints(of order: Order, in db: any Transaction) throws -> [Touchpoint]
}

/// An order's trail and its refunds, oldest first.
public struct OrderAttribution: Sendable, Equatable {
    public struct RefundStep: Sendable, Equatable {
        public var id: String
        public var amountCents: Int64
        public var createdAt: Int64
    }

    public var orderID: String
    public var touchpoints: [Touchpoint]
    public var refunds: [RefundStep]
}

/// `GET /v1/orders/{id}/attribution`: every source's touchpoints, each kind and id once, with the order's refunds.
public final class AttributionService: Sendable {
    private let database: Database
    private let sources: [any TouchpointSource]

    /// The sources this deployment has: live sessions and pins, coupons and where they came from.
    public static let builtInSources: [any TouchpointSource] = [LiveTouchpoints(), CouponTouchpoints()]

    /// - Parameter sources: ``builtInSources`` plus any a later module adds.
    public init(database: Database, sources: [any TouchpointSource] = AttributionService.builtInSources) {
        self.database = database
        self.sources = sources
    }

    /// - Throws: `404` for an order the caller may not see (the owner; merchants, agents and admins see all).
    public func attribution(of orderID: String, visibleTo accountID: String, seesAll: Bool) async throws -> OrderAttribution {
        let sources = self.sources
        return try await database.read { db in
            guard let order = try OrderStore.order(orderID, in: db), seesAll || order.accountID == accountID else {
                throw PaymentsError.orderNotFound(orderID)
            }
            var seen = Set<String>()
            var touchpoints: [Touchpoint] = []
            for source in sources {
                for touchpoint in try source.touchpoints(of: order, in: db)
                where seen.insert(touchpoint.type.rawValue + " " + touchpoint.id).inserted {
                    touchpoints.append(touchpoint)
                }
            }
            return OrderAttribution(
                orderID: orderID, touchpoints: touchpoints.sorted(by: Touchpoint.precedes),
                refunds: try AttributionStore.refunds(of: orderID, in: db)
            )
        }
    }
}

/// The live session and pin an order was placed in (API.md §9).
public struct LiveTouchpoints: TouchpointSource {
    public init() {}

    public func touchpoints(of order: Order, in db: any Transaction) throws -> [Touchpoint] {
        var found: [Touchpoint] = []
        if let session = order.liveSessionID, let at = try AttributionStore.liveSessionCreatedAt(session, in: db) {
            found.append(Touchpoint(type: .liveSession, id: session, at: at))
        }
        if let pin = order.pinID, let at = try AttributionStore.pinCreatedAt(pin, in: db) {
            found.append(Touchpoint(type: .pin, id: pin, at: at))
        }
        return found
    }
}

/// The order's coupon and where it came from: a game play, a signal's inbox item, a live session's coupon drop.
/// Referral coupons lead to a share, which the shares module's own source adds.
public struct CouponTouchpoints: TouchpointSource {
    public init() {}

    public func touchpoints(of order: Order, in db: any Transaction) throws -> [Touchpoint] {
        guard let couponID = order.couponID, let coupon = try AttributionStore.coupon(couponID, in: db) else { return [] }
        var found = [Touchpoint(type: .coupon, id: couponID, at: coupon.createdAt)]
        switch coupon.source {
        case "game":
            if let play = try AttributionStore.gamePlay(awarding: couponID, in: db) {
                found.append(Touchpoint(type: .gamePlay, id: play.id, at: play.at))
            }
        case "live_drop":
            if let session = try AttributionStore.dropSession(awarding: couponID, in: db) {
                found.append(Touchpoint(type: .liveSession, id: session.id, at: session.at))
            }
        case "signal", "goodwill":
            if let item = try AttributionStore.signalItem(carrying: couponID, of: coupon.accountID, in: db) {
                found.append(Touchpoint(type: .signal, id: item.id, at: item.at, details: [("rule", item.rule)]))
            }
        default:
            break
        }
        return found
    }
}
