import Catalog
import Core
import Payments

/// Where a live session is in its one-way life: scheduled → live → ended (API.md §9).
public enum LiveStatus: String, Sendable, CaseIterable {
    case scheduled, live, ended
}

/// A live-shopping session; `viewerCount` comes from the hub, everything else from the database.
public struct LiveSession: Sendable, Equatable {
    public var id: String
    public var hostID: String
    public var hostDisplayName: String
    public var title: String
    public var description: String?
    public var status: LiveStatus
    public var streamURL: String?
    public var scheduledAt: Int64?
    public var startedAt: Int64?
    public var endedAt: Int64?
    public var viewerCount: Int64
    public var likeCount: Int64
    /// The pins that are active now, oldest first.
    public var pins: [Pin]
    public var createdAt: Int64
}

/// A product pinned in a session, optionally as a flash deal: `flashQuantity` units at `flashPriceCents`, taken from
/// the product's stock when pinned.
public struct Pin: Sendable, Equatable {
    public var id: String
    public var sessionID: String
    public var product: Product
    public var flashPriceCents: Int64?
    public var flashQuantity: Int64?
    /// Flash units sold so far.
    public var sold: Int64
    /// An auction pin's end, moved by its soft close.
    public var endsAt: Int64?
    public var createdAt: Int64
    /// The auction of an auction pin (API.md §22), `nil` for other pins.
    public var auction: Auction? = nil

    /// Flash units still for sale; `nil` for a pin without a flash deal.
    public var remaining: Int64? { flashQuantity.map { max(0, $0 - sold) } }
}

/// A chat message as shown in the stream.
public struct ChatMessage: Sendable, Equatable {
    public var id: String
    public var sessionID: String
    public var accountID: String
    public var displayName: String
    public var text: String
    public var createdAt: Int64
}

/// Coupons of a campaign set aside for the viewers of a session, first come first served.
public struct CouponDrop: Sendable, Equatable {
    public var id: String
    public var sessionID: String
    public var campaignID: String
    public var quantity: Int64
    public var claimed: Int64
    public var createdAt: Int64

    public var remaining: Int64 { max(0, quantity - claimed) }
}

/// What happened in a session, computed from the stored facts (API.md §9, §12).
public struct LiveStats: Sendable, Equatable {
    public var peakViewers: Int64
    public var uniqueViewers: Int64
    public var messages: Int64
    public var likes: Int64
    public var orders: Int64
    public var unitsSold: Int64
    public var gmvCents: Int64
    /// Distinct accounts that opened the session's stream with their token and bought in it.
    public var buyers: Int64

    /// Buyers who watched with their token ÷ unique viewers (API.md §14), so it never exceeds 1; 0 when nobody watched.
    public var conversionRate: Double {
        uniqueViewers == 0 ? 0 : Double(buyers) / Double(uniqueViewers)
    }
}

/// Renders the payloads that contain other modules' objects; the API module provides it so that the JSON of a Pin
/// in an event is byte for byte the JSON of a Pin in a response. It renders orders too: a won auction's order goes
/// into the buyer's event log as a checkout's does.
public protocol LiveRenderer: CommerceRenderer {
    /// The `Pin` object of API.md §9.
    func json(_ pin: Pin) -> JSON
    /// The message object of `POST …/messages`.
    func json(_ message: ChatMessage) -> JSON
}
