import Core
import Foundation
import Storage
import Testing
import TestSupport

/// The attribution trail of API.md §21 and §24: stream and pin, a game's coupon, a signal's coupon and a live drop's
/// coupon, oldest first, each with its object's `created_at`, and the order's refunds.
@Suite("Attribution")
struct AttributionTests {
    static let t0: Int64 = 1_800_000_000

    static func time(_ offset: Int64) -> JSON { .string(Timestamp.format(epochSeconds: t0 + offset)) }

    @Test("the trail from stream, pin, game, signal and drop through the coupon to the order and its refunds")
    func trail() async throws {
        try await InsightsWorld.with { w in
            let (token, owner) = try await w.server.signUp()
            let (other, _) = try await w.server.signUp()
            let t0 = Self.t0
            try await w.server.database.write { db in
                try db.run(
                    """
                    INSERT INTO campaigns (id, key, name, discount_type, discount_value, valid_from, valid_until, max_coupons,
                        per_account_limit, status, issued, created_at)
                    VALUES ('cmp_t', NULL, 'T', 'fixed', 100, 0, 9999999999, 10, 10, 'active', 3, 0)
                    """
                )
                for (id, source, at) in [("cpn_game", "game", t0 + 100), ("cpn_signal", "signal", t0 + 500), ("cpn_drop", "live_drop", t0 + 20)] {
                    try db.run(
                        "INSERT INTO coupons (id, campaign_id, account_id, source, created_at) VALUES (?, 'cmp_t', ?, ?, ?)",
                        id, owner, source, at
                    )
                }
                for (id, at) in [("live_one", t0), ("live_two", t0 + 10)] {
                    try db.run(
                        "INSERT INTO live_sessions (id, host_id, title, status, created_at) VALUES (?, ?, 'Show', 'live', ?)", id, owner, at
                    )
                }
                try db.run("INSERT INTO live_pins (id, session_id, product_id, created_at) VALUES ('pin_one', 'live_one', 'prd_x', ?)", t0 + 60)
                try db.run(
                    """
                    INSERT INTO game_plays (id, account_id, game_id, server_seed_hash, client_seed, nonce, roll, outcome_label,
                        prizes_in_draw, coupon_id, created_at)
                    VALUES ('play_one', ?, 'game_wheel', 'h', 'c', 0, '0.5', 'win', '[]', 'cpn_game', ?)
                    """,
                    owner, t0 + 100
                )
                try db.run(
                    """
                    INSERT INTO inbox_items (id, account_id, category, title_en, title_de, body_en, body_de, link, data, rule, created_at)
                    VALUES ('ntf_one', ?, 'offer', 't', 't', 'b', 'b', NULL, '{"coupon_id":"cpn_signal"}', 'abandoned_cart', ?)
                    """,
                    owner, t0 + 500
                )
                try db.run("INSERT INTO live_coupon_drops (id, session_id, campaign_id, quantity, created_at) VALUES ('drop_one', 'live_two', 'cmp_t', 5, ?)", t0 + 15)
                try db.run("INSERT INTO live_drop_claims (drop_id, account_id, coupon_id, created_at) VALUES ('drop_one', ?, 'cpn_drop', ?)", owner, t0 + 20)
                for (id, coupon, session, pin, at) in [
                    ("ord_x", "cpn_game", "live_one", "pin_one", t0 + 200), ("ord_y", "cpn_signal", nil, nil, t0 + 600),
                    ("ord_z", "cpn_drop", nil, nil, t0 + 700),
                ] as [(String, String, String?, String?, Int64)] {
                    try db.run(
                        """
                        INSERT INTO orders (id, account_id, status, subtotal_cents, discount_cents, total_cents, refunded_cents, coupon_id,
                            live_session_id, pin_id, created_at)
                        VALUES (?, ?, 'paid', 1000, 100, 900, 0, ?, ?, ?, ?)
                        """,
                        id, owner, coupon, session, pin, at
                    )
                }
                try db.run("UPDATE orders SET status = 'partially_refunded', refunded_cents = 500 WHERE id = 'ord_x'")
                // Written newest first: the answer orders them.
                try db.run("INSERT INTO refunds (id, order_id, requested_by, amount_cents, reason, created_at) VALUES ('rfd_2', 'ord_x', ?, 200, 'r', ?)", owner, t0 + 400)
                try db.run("INSERT INTO refunds (id, order_id, requested_by, amount_cents, reason, created_at) VALUES ('rfd_1', 'ord_x', ?, 300, 'r', ?)", owner, t0 + 300)
            }
            let x = try await w.server.send("GET", "/v1/orders/ord_x/attribution", token: token)
            #expect(x.status == 200, "\(x.text)")
            #expect(x.json == [
                "order_id": "ord_x",
                "touchpoints": [
                    ["type": "live_session", "id": "live_one", "at": Self.time(0)],
                    ["type": "pin", "id": "pin_one", "at": Self.time(60)],
                    ["type": "game_play", "id": "play_one", "at": Self.time(100)],
                    ["type": "coupon", "id": "cpn_game", "at": Self.time(100)],
                ],
                "refunds": [
                    ["id": "rfd_1", "amount_cents": 300, "created_at": Self.time(300)],
                    ["id": "rfd_2", "amount_cents": 200, "created_at": Self.time(400)],
                ],
                "currency": "EUR",
            ], "\(x.text)")
            // Key order matters to clients reading it by eye: oldest first.
            #expect(x.json["touchpoints"]?.arrayValue?.map { $0["type"]?.stringValue ?? "" } == ["live_session", "pin", "game_play", "coupon"])
            let y = try await w.server.send("GET", "/v1/orders/ord_y/attribution", token: w.merchant)
            #expect(y.json["touchpoints"] == [
                ["type": "signal", "id": "ntf_one", "at": Self.time(500), "rule": "abandoned_cart"],
                ["type": "coupon", "id": "cpn_signal", "at": Self.time(500)],
            ], "\(y.text)")
            let z = try await w.server.send("GET", "/v1/orders/ord_z/attribution", token: w.admin)
            #expect(z.json["touchpoints"] == [
                ["type": "live_session", "id": "live_two", "at": Self.time(10)],
                ["type": "coupon", "id": "cpn_drop", "at": Self.time(20)],
            ], "\(z.text)")
            #expect(try await w.server.send("GET", "/v1/orders/ord_x/attribution", token: other).status == 404)
            #expect(try await w.server.send("GET", "/v1/orders/ord_x/attribution").status == 401)
            #expect(try await w.server.send("GET", "/v1/orders/ord_missing/attribution", token: w.admin).status == 404)
        }
    }

    @Test("an order placed with nothing before it has no touchpoints; its refunds are listed")
    func plainOrder() async throws {
        try await InsightsWorld.with { w in
            let product = try await w.product("Tasse", category: "kitchen", price: 1_200)
            let buyer = try await w.buyer()
            let order = try await w.order([(product, 2)], token: buyer.token)
            try await w.refund(order, [(product, 1)], token: buyer.token)
            let trail = try await w.server.send("GET", "/v1/orders/\(order)/attribution", token: buyer.token)
            #expect(trail.status == 200, "\(trail.text)")
            #expect(trail.json["order_id"]?.stringValue == order && trail.json["touchpoints"] == [])
            let refunds = trail.json["refunds"]?.arrayValue ?? []
            #expect(refunds.count == 1 && refunds.first?["amount_cents"] == 1_200 && refunds.first?["id"]?.stringValue?.hasPrefix("rfd_") == true)
        }
    }
}
