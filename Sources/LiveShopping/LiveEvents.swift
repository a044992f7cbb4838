import Core
import Storage

/// The event names of API.md §9.
enum LiveEventName {
    static let sessionStarted = "session.started"
    static let sessionEnded = "session.ended"
    static let pinAdded = "pin.added"
    static let pinUpdated = "pin.updated"
    static let pinRemoved = "pin.removed"
    static let messageCreated = "message.created"
    static let messageDeleted = "message.deleted"
    static let orderPlaced = "order.placed"
    static let couponDropStarted = "coupon_drop.started"
    static let couponDropClaimed = "coupon_drop.claimed"
    /// `{"pin_id", "current_bid_cents", "leader_account_id", "leader_display_name", "ends_at", "bids"}` (API.md §22).
    static let auctionBid = "auction.bid"
    /// `{"pin_id", "status", "winning_bid_cents", "order_id"}`.
    static let auctionClosed = "auction.closed"
}

/// What live shopping appends to the domain event log (stream `live:<session_id>`), for consumers in other modules.
enum LiveDomainEvent {
    /// `{"session_id", "host_id", "title"}`, when a host goes live.
    static let liveStarted = "live.started"
    /// `{"pin_id", "session_id", "product_id", "flash_price_cents", "flash_quantity", "ends_at", "auction"}`.
    static let pinAdded = "pin.added"
}

extension StreamSource {
    /// A session's `live_events` for the hub, keyed by session id; a stream closes after `session.ended` (API.md §12).
    static func liveEvents(_ database: Database) -> StreamSource {
        StreamSource(
            read: { sessionID, after, limit in
                let events = try await database.read { db in
                    try LiveStore.events(of: sessionID, after: after, limit: limit, in: db)
                }
                return StreamPage(events: events, limit: limit)
            },
            endsStream: { $0.name == LiveEventName.sessionEnded }
        )
    }
}

/// The most streams each session had open at once since this process started; saved by the service's timer.
final class ViewerPeaks: Sendable {
    private let peaks = Mutex<[String: (peak: Int64, saved: Bool)]>([:])

    func note(_ count: Int64, of sessionID: String) {
        peaks.withLock { peaks in
            let old = peaks[sessionID]?.peak ?? 0
            if count > old { peaks[sessionID] = (count, false) }
        }
    }

    /// The highest count seen in this process, for stats between two saves.
    func peak(of sessionID: String) -> Int64 {
        peaks.withLock { $0[sessionID]?.peak ?? 0 }
    }

    /// Peaks not saved yet; marks them saved.
    func takeUnsaved() -> [(String, Int64)] {
        peaks.withLock { peaks in
            var out: [(String, Int64)] = []
            for (sessionID, value) in peaks where !value.saved {
                out.append((sessionID, value.peak))
                peaks[sessionID] = (value.peak, true)
            }
            return out
        }
    }
}
