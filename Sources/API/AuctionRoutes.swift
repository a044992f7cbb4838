import Core
import HTTP
import LiveShopping
import Payments

/// API.md §22: auction pins, bids and the replay of an ended session. The pin route itself is in `LiveRoutes` and
/// hands an `auction` body to ``auctionTerms(_:)``.
enum AuctionRoutes {
    static let render = LiveJSON()

    static func routes(_ s: Services) -> [Route] {
        [
            Route(.POST, "/v1/live-sessions/{id}/pins/{pin_id}/bids", .signedIn) { req in
                let id = req.parameter("id")
                let pinID = req.parameter("pin_id")
                try await s.live.checkPin(sessionID: id, pinID: pinID, bidder: req.caller.accountID)
                let body = try req.body(allowed: ["amount_cents", "max_cents"])
                let amount = try body.int("amount_cents", 1...100_000_000)
                let maximum = try body.optionalInt("max_cents", 1...100_000_000)
                if let maximum, maximum < amount { throw Failure.invalid("max_cents", "must be at least amount_cents") }
                return HTTPResponse(try await s.live.bid(
                    sessionID: id, pinID: pinID, accountID: req.caller.accountID, amountCents: amount, maxCents: maximum,
                    key: try req.idempotencyKey(), answering: .json { render.json($0) }
                ))
            },
            Route(.GET, "/v1/live-sessions/{id}/replay", .everyone) { req in
                .json(200, render.json(try await s.live.replay(req.parameter("id"))))
            },
        ]
    }

    /// The `auction` object of a pin request; a flash field or a pin duration beside it is `400` naming that field.
    static func auctionTerms(_ body: Body) throws -> AuctionTerms {
        // An auction sells one unit to the highest bidder; a flash price or quantity beside it has no meaning, and
        // its end is its own duration.
        for field in ["flash_price_cents", "flash_quantity", "duration_seconds"] where body.has(field) {
            throw Failure.invalid(field, "cannot be combined with auction")
        }
        let auction = try body.object("auction", allowed: ["starting_bid_cents", "increment_cents", "duration_seconds"])
        return AuctionTerms(
            startingBidCents: try auction.int("starting_bid_cents", 1...100_000_000),
            incrementCents: try auction.int("increment_cents", 1...100_000_000),
            durationSeconds: try auction.int("duration_seconds", AuctionRules.durationRange)
        )
    }
}

extension LiveJSON {
    /// The `auction` member of an auction Pin (API.md §22).
    func json(_ auction: Auction) -> JSON {
        [
            "starting_bid_cents": .int(auction.startingBidCents), "increment_cents": .int(auction.incrementCents),
            "current_bid_cents": JSON(auction.currentBidCents),
            "leader": auction.leader.map { ["account_id": .string($0.accountID), "display_name": .string($0.displayName)] }
                ?? .null,
            "bids": .int(auction.bids), "ends_at": CommerceJSON.time(auction.endsAt),
            "status": .string(auction.status.rawValue),
        ]
    }

    /// The answer to a bid: the contract's `id`, `amount_cents`, `leading` and `currency`, and where it left the
    /// auction.
    func json(_ bid: Bid) -> JSON {
        [
            "id": .string(bid.id), "amount_cents": .int(bid.amountCents), "max_cents": .int(bid.maxCents),
            "leading": .bool(bid.leading), "current_bid_cents": .int(bid.currentBidCents),
            "ends_at": CommerceJSON.time(bid.endsAt), "currency": .string(Money.currency),
        ]
    }

    /// A bid in the bidder's data export.
    func json(_ bid: PlacedBid) -> JSON {
        [
            "id": .string(bid.id), "session_id": .string(bid.sessionID), "pin_id": .string(bid.pinID),
            "amount_cents": .int(bid.amountCents), "max_cents": .int(bid.maxCents), "leading": .bool(bid.leading),
            "currency": .string(Money.currency), "created_at": CommerceJSON.time(bid.createdAt),
        ]
    }

    func json(_ replay: LiveReplay) -> JSON {
        [
            "session_id": .string(replay.sessionID), "started_at": CommerceJSON.time(replay.startedAt),
            "ended_at": CommerceJSON.time(replay.endedAt),
            "chapters": .array(replay.chapters.map { chapter in
                [
                    "pin_id": .string(chapter.pinID),
                    "product": ["id": .string(chapter.productID), "title": .string(chapter.productTitle)],
                    "start_offset_seconds": .int(chapter.startOffsetSeconds),
                    "end_offset_seconds": .int(chapter.endOffsetSeconds), "orders": .int(chapter.orders),
                    "units_sold": .int(chapter.unitsSold), "gmv_cents": .int(chapter.gmvCents),
                ]
            }),
            "currency": .string(Money.currency),
        ]
    }

    // A won auction's order goes into the buyer's event log as a checkout's does (LiveRenderer refines
    // CommerceRenderer).
    func json(_ order: Order) -> JSON { order.json }
    func json(_ shipment: Shipment) -> JSON { shipment.json }
}
