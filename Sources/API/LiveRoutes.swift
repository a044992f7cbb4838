import Accounts
import Core
import Coupons
import Foundation
import HTTP
import LiveShopping

/// API.md §9: live sessions, pins, chat, likes, coupon drops and stats. The event stream is in `EventStreamRoute`.
///
/// Host actions resolve the session and its host first (`404`, then `403`), then read the body (`400`), then do
/// the domain work (`409`), in the order of API.md §12.
enum LiveRoutes {
    static let render = LiveJSON()

    static func routes(_ s: Services) -> [Route] {
        sessionRoutes(s) + pinRoutes(s) + chatRoutes(s) + dropRoutes(s) + AuctionRoutes.routes(s)
            + [EventStreamRoute.route(s)]
    }

    static func sessionRoutes(_ s: Services) -> [Route] {
        [
            Route(.POST, "/v1/live-sessions", .role(.host)) { req in
                let body = try req.body(allowed: ["title", "description", "scheduled_at", "stream_url"])
                let title = try body.text("title", 1...200)
                let description = try body.optionalText("description", 0...5000)
                let scheduledAt = try body.optionalString("scheduled_at").map { text -> Int64 in
                    guard let date = Timestamp.parse(text) else { throw Failure.invalid("scheduled_at", "must be an RFC 3339 timestamp") }
                    return date.epochSeconds
                }
                let streamURL = try body.optionalString("stream_url").map(validStreamURL)
                let session = try await s.live.create(
                    hostID: req.caller.accountID, title: title, description: description, scheduledAt: scheduledAt,
                    streamURL: streamURL
                )
                return .json(201, render.json(session))
            },
            Route(.GET, "/v1/live-sessions", .everyone) { req in
                let status = try req.query("status").map { raw -> LiveStatus in
                    guard let status = LiveStatus(rawValue: raw) else {
                        throw Failure.invalid("status", "must be one of scheduled, live, ended")
                    }
                    return status
                }
                let page = try await s.live.sessions(status: status, page: try req.page())
                return .json(200, CommerceJSON.list(page, render.json))
            },
            Route(.GET, "/v1/live-sessions/{id}", .everyone) { req in
                .json(200, render.json(try await s.live.session(req.parameter("id"))))
            },
            Route(.POST, "/v1/live-sessions/{id}/start", .role(.host)) { req in
                let id = req.parameter("id")
                try await s.live.checkHost(sessionID: id, by: req.caller)
                _ = try req.body(allowed: [])
                return .json(200, render.json(try await s.live.start(id, by: req.caller)))
            },
            Route(.POST, "/v1/live-sessions/{id}/end", .role(.host)) { req in
                let id = req.parameter("id")
                try await s.live.checkHost(sessionID: id, by: req.caller)
                _ = try req.body(allowed: [])
                return .json(200, render.json(try await s.live.end(id, by: req.caller)))
            },
            Route(.GET, "/v1/live-sessions/{id}/stats", .role(.host)) { req in
                .json(200, render.json(try await s.live.stats(sessionID: req.parameter("id"), by: req.caller)))
            },
        ]
    }

    static func pinRoutes(_ s: Services) -> [Route] {
        [
            Route(.POST, "/v1/live-sessions/{id}/pins", .role(.host)) { req in
                let id = req.parameter("id")
                try await s.live.checkHost(sessionID: id, by: req.caller)
                let body = try req.body(
                    allowed: ["product_id", "flash_price_cents", "flash_quantity", "duration_seconds", "auction"]
                )
                let productID = try body.string("product_id")
                if body.has("auction") {
                    let terms = try AuctionRoutes.auctionTerms(body)
                    let pin = try await s.live.pin(
                        sessionID: id, by: req.caller, productID: productID, flashPriceCents: nil, flashQuantity: nil,
                        durationSeconds: nil, auction: terms
                    )
                    return .json(201, render.json(pin))
                }
                let price = try body.optionalInt("flash_price_cents", 1...100_000_000)
                let quantity = try body.optionalInt("flash_quantity", 1...100_000)
                let duration = try body.optionalInt("duration_seconds", 1...604_800)
                // A flash deal is a price for a number of units; one without the other has no meaning.
                if price != nil, quantity == nil { throw Failure.invalid("flash_quantity", "is required with flash_price_cents") }
                if quantity != nil, price == nil { throw Failure.invalid("flash_price_cents", "is required with flash_quantity") }
                let pin = try await s.live.pin(
                    sessionID: id, by: req.caller, productID: productID, flashPriceCents: price, flashQuantity: quantity,
                    durationSeconds: duration
                )
                return .json(201, render.json(pin))
            },
            Route(.DELETE, "/v1/live-sessions/{id}/pins/{pin_id}", .role(.host)) { req in
                try await s.live.unpin(sessionID: req.parameter("id"), pinID: req.parameter("pin_id"), by: req.caller)
                return .noContent
            },
        ]
    }

    static func chatRoutes(_ s: Services) -> [Route] {
        [
            Route(.POST, "/v1/live-sessions/{id}/messages", .signedIn) { req in
                let id = req.parameter("id")
                try await s.live.checkChat(sessionID: id, by: req.caller)
                let text = try req.body(allowed: ["text"]).text("text", 1...500)
                let message = try await s.live.postMessage(sessionID: id, by: req.caller, text: text)
                return .json(201, render.json(message))
            },
            Route(.DELETE, "/v1/live-sessions/{id}/messages/{msg_id}", .role(.host)) { req in
                try await s.live.deleteMessage(
                    sessionID: req.parameter("id"), messageID: req.parameter("msg_id"), by: req.caller
                )
                return .noContent
            },
            Route(.POST, "/v1/live-sessions/{id}/mutes", .role(.host)) { req in
                let id = req.parameter("id")
                try await s.live.checkHost(sessionID: id, by: req.caller)
                let accountID = try req.body(allowed: ["account_id"]).string("account_id")
                try await s.live.mute(sessionID: id, accountID: accountID, by: req.caller)
                return .json(200, ["session_id": .string(id), "account_id": .string(accountID), "muted": true])
            },
            Route(.POST, "/v1/live-sessions/{id}/likes", .signedIn) { req in
                let likeCount = try await s.live.like(sessionID: req.parameter("id")) {
                    try req.body(allowed: ["count"]).int("count", 1...50)
                }
                return .json(202, ["like_count": .int(likeCount)])
            },
        ]
    }

    static func dropRoutes(_ s: Services) -> [Route] {
        [
            Route(.POST, "/v1/live-sessions/{id}/coupon-drops", .role(.host)) { req in
                let id = req.parameter("id")
                try await s.live.checkHost(sessionID: id, by: req.caller)
                let body = try req.body(allowed: ["campaign_id", "quantity"])
                let campaignID = try body.string("campaign_id")
                let quantity = try body.int("quantity", 1...100_000)
                let drop = try await s.live.dropCoupons(sessionID: id, by: req.caller, campaignID: campaignID, quantity: quantity)
                return .json(201, render.json(drop))
            },
            Route(.POST, "/v1/live-sessions/{id}/coupon-drops/{drop_id}/claims", .signedIn) { req in
                let id = req.parameter("id")
                let dropID = req.parameter("drop_id")
                try await s.live.checkDrop(sessionID: id, dropID: dropID)
                _ = try req.body(allowed: [])
                let key = try req.idempotencyKey()
                let now = s.clock.now().epochSeconds
                return HTTPResponse(try await s.live.claim(
                    sessionID: id, dropID: dropID, accountID: req.caller.accountID, key: key, answering: .json { $0.json(now: now) }
                ))
            },
        ]
    }

    /// A stream URL is where the media service plays the video: http(s) or rtmp(s), at most 2,000 characters.
    static func validStreamURL(_ text: String) throws -> String {
        guard text.utf8.count <= 2000, let url = URL(string: text), let scheme = url.scheme?.lowercased(),
              ["http", "https", "rtmp", "rtmps"].contains(scheme), url.host != nil
        else { throw Failure.invalid("stream_url", "must be an http(s) or rtmp(s) URL of at most 2000 characters") }
        return text
    }
}
