import Catalog
import Core

/// A merchant's team offer (API.md §20): `teamSize` buyers together pay `teamPriceCents` each instead of the price.
public struct TeamDeal: Sendable, Equatable {
    public static let sizes: ClosedRange<Int64> = 2...10
    public static let windows: ClosedRange<Int64> = 60...86_400

    public var id: String
    public var product: Product
    public var teamPriceCents: Int64
    public var teamSize: Int64
    public var windowSeconds: Int64
    /// An inactive deal is not listed and opens no teams; teams already forming go on (API.md §24).
    public var active: Bool
    public var createdAt: Int64
}

/// What `POST /v1/team-deals` asks for, after the API checked each field's shape.
public struct TeamDealDraft: Sendable, Equatable {
    public var productID: String
    public var teamPriceCents: Int64
    public var teamSize: Int64
    public var windowSeconds: Int64

    public init(productID: String, teamPriceCents: Int64, teamSize: Int64, windowSeconds: Int64) {
        (self.productID, self.teamPriceCents, self.teamSize, self.windowSeconds) =
            (productID, teamPriceCents, teamSize, windowSeconds)
    }
}

/// A team of buyers of one deal: forming until the last place is taken (completed) or the window ends (failed).
public struct Team: Sendable, Equatable {
    public enum Status: String, Sendable {
        case forming, completed, failed
    }

    public struct Member: Sendable, Equatable {
        public var accountID: String
        /// The first name only: any signed-in account may read a team (API.md §24).
        public var displayName: String
        public var joinedAt: Int64
        /// The member's paid order once the team completed.
        public var orderID: String?
    }

    public var id: String
    public var dealID: String
    public var productID: String
    public var teamPriceCents: Int64
    public var teamSize: Int64
    public var status: Status
    /// In joining order; the first opened the team.
    public var members: [Member]
    public var expiresAt: Int64
    public var createdAt: Int64

    public func isMember(_ accountID: String) -> Bool { members.contains { $0.accountID == accountID } }

    /// The API's Team (API.md §20), also carried by `team.updated` on each member's event stream: `order_ids` holds
    /// only the viewer's own order, or every member's for merchants and admins (API.md §24).
    public func json(viewer: String?, seesAllOrders: Bool) -> JSON {
        let orders = members.filter { seesAllOrders || $0.accountID == viewer }.compactMap(\.orderID)
        return [
            "id": .string(id), "deal_id": .string(dealID), "product_id": .string(productID), "status": .string(status.rawValue),
            "members": .array(members.map { member in
                [
                    "account_id": .string(member.accountID), "display_name": .string(member.displayName),
                    "joined_at": .string(Timestamp.format(epochSeconds: member.joinedAt)),
                ]
            }),
            "team_size": .int(teamSize), "team_price_cents": .int(teamPriceCents), "currency": .string(Money.currency),
            "expires_at": .string(Timestamp.format(epochSeconds: expiresAt)), "order_ids": .array(orders.map(JSON.string)),
            "created_at": .string(Timestamp.format(epochSeconds: createdAt)),
        ]
    }
}

/// What a share link points at (API.md §20).
public enum ShareTarget: String, Sendable, CaseIterable {
    case product
    case liveSession = "live_session"
    case team
}

/// A share link: its code opens the target, counts visits and may be given as a referral code at sign-up.
public struct Share: Sendable, Equatable {
    public var id: String
    public var code: String
    public var accountID: String
    public var targetType: ShareTarget
    public var targetID: String
    public var visits: Int64
    public var createdAt: Int64
    /// The sharer's first name (`GET /v1/shares/{code}` shows no more, API.md §20).
    public var sharerName: String
}

/// `GET /v1/me/referrals`: accounts that signed up with the caller's share codes.
public struct ReferralCounts: Sendable, Equatable {
    public var signedUp: Int64
    public var rewarded: Int64
    /// Sign-ups that have placed no order yet (API.md §24).
    public var pending: Int64
}

enum Names {
    /// The first word of a display name, as live chat shows buyers.
    static func firstName(_ name: String) -> String {
        name.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? name
    }
}
