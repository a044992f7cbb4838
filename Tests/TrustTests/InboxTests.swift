import Core
import Foundation
import Testing
import TestSupport
import Trust

@Suite("Inbox and notification settings")
struct InboxTests {
    @Test("orders and shipments reach the inbox with a reason; unread count, read, read-all; German by Accept-Language")
    func itemsFromEvents() async throws {
        try await TrustWorld.with { w in
            let buyer = try await w.buyer()
            let product = try await w.product()
            let order = try await w.order(product, token: buyer.token)
            let shipment = try await w.server.send("POST", "/v1/orders/\(order)/shipments", json: [
                "carrier": "DHL", "tracking_number": "JJD1", "promised_delivery_date": "2099-01-01",
            ], token: w.merchant)
            #expect(shipment.status == 201)
            await w.settle()
            let inbox = try await w.server.send("GET", "/v1/inbox", token: buyer.token)
            let items = try #require(inbox.json["data"]?.arrayValue)
            // Both were created in the same second, so their order is by id; find each by its rule.
            #expect(Set(items.compactMap { $0["reason"]?["rule"]?.stringValue }) == ["shipment_sent", "order_placed"])
            #expect(items.allSatisfy { $0["id"]?.stringValue?.hasPrefix("ntf_") == true })
            let placed = try #require(items.first { $0["reason"]?["rule"] == "order_placed" })
            let sent = try #require(items.first { $0["reason"]?["rule"] == "shipment_sent" })
            #expect(placed["category"] == "order")
            #expect(placed["link"]?.stringValue == "/v1/orders/\(order)")
            #expect(placed["data"]?["order_id"]?.stringValue == order)
            #expect(placed["reason"]?["consent_id"] == .null, "transactional items need no consent")
            #expect(sent["category"] == "shipment")
            #expect(sent["data"]?["shipment_id"]?.stringValue == shipment.json["id"]?.stringValue)
            #expect(try await w.server.send("GET", "/v1/inbox/unread-count", token: buyer.token).json["unread"] == 2)

            let german = try await w.server.send("GET", "/v1/inbox", token: buyer.token, headers: [("Accept-Language", "de-DE,de;q=0.9,en;q=0.5")])
            let titles = german.json["data"]?.arrayValue?.compactMap { $0["title"]?.stringValue } ?? []
            #expect(Set(titles) == ["Danke für Ihre Bestellung", "Ihre Bestellung ist unterwegs"])

            let first = try #require(placed["id"]?.stringValue)
            let read = try await w.server.send("POST", "/v1/inbox/\(first)/read", token: buyer.token)
            #expect(read.status == 200)
            #expect(read.json["read"] == true)
            #expect(try await w.server.send("GET", "/v1/inbox?unread=true", token: buyer.token).json["data"]?.arrayValue?.count == 1)
            let (stranger, _) = try await w.server.signUp()
            #expect(try await w.server.send("POST", "/v1/inbox/\(first)/read", token: stranger).status == 404)
            let all = try await w.server.send("POST", "/v1/inbox/read-all", token: buyer.token)
            #expect(all.json["marked"] == 1)
            #expect(try await w.server.send("GET", "/v1/inbox/unread-count", token: buyer.token).json["unread"] == 0)
        }
    }

    @Test("orders of different moments handled in one batch: each item carries its own order's time, in order")
    func batchKeepsEachTime() async throws {
        try await TrustWorld.with(testClock: true) { w in
            let buyer = try await w.buyer()
            let product = try await w.product()
            var orders: [(id: String, createdAt: String)] = []
            // In process the consumer runs only at settle(): all three orders reach it in one batch.
            for advance in [0, 90, 3_600] {
                if advance > 0 {
                    let moved = try await w.server.send("POST", "/v1/admin/test-clock", json: ["advance_seconds": .int(Int64(advance))], token: w.admin)
                    try #require(moved.status == 200, "\(moved.text)")
                }
                let id = try await w.order(product, token: buyer.token)
                let order = try await w.server.send("GET", "/v1/orders/\(id)", token: buyer.token)
                orders.append((id, try #require(order.json["created_at"]?.stringValue)))
            }
            await w.settle()
            let items = try #require(try await w.server.send("GET", "/v1/inbox", token: buyer.token).json["data"]?.arrayValue)
            #expect(items.map { $0["data"]?["order_id"]?.stringValue ?? "" } == orders.reversed().map(\.id), "newest first")
            #expect(items.map { $0["created_at"]?.stringValue ?? "" } == orders.reversed().map(\.createdAt))
        }
    }

    @Test("settings: defaults, PATCH, validation naming quiet_hours.start, and a category switched off is not sent")
    func settings() async throws {
        try await TrustWorld.with { w in
            let buyer = try await w.buyer(funds: 0)
            let defaults = try await w.server.send("GET", "/v1/me/notification-settings", token: buyer.token)
            #expect(defaults.json == [
                "live": true, "social": true, "feedback": true, "quiet_hours": ["start": "22:00", "end": "08:00"],
                "time_zone": "Europe/Berlin", "max_offers_per_week": 3,
            ])
            for (body, field) in [
                (["quiet_hours": ["start": "25:00", "end": "08:00"]] as JSON, "quiet_hours.start"),
                (["quiet_hours": ["start": "22:00", "end": "8"]], "quiet_hours.end"),
                (["max_offers_per_week": 21], "max_offers_per_week"), (["time_zone": "Mars/Olympus"], "time_zone"),
                (["live": "no"], "live"),
            ] {
                let answer = try await w.server.send("PATCH", "/v1/me/notification-settings", json: body, token: buyer.token)
                #expect(answer.status == 400, "\(body.serializedString())")
                #expect(answer.json["errors"]?.arrayValue?.first?["field"]?.stringValue == field)
            }
            let patched = try await w.server.send("PATCH", "/v1/me/notification-settings", json: [
                "live": false, "quiet_hours": nil, "time_zone": "Europe/Lisbon", "max_offers_per_week": 0,
            ], token: buyer.token)
            #expect(patched.status == 200)
            #expect(patched.json["quiet_hours"] == .null)
            #expect(patched.json["live"] == false)
            #expect(patched.json["social"] == true)

            let outcome = try await w.server.services.inbox.send(OutgoingMessage(
                accountID: buyer.id, category: .live, rule: "host_live",
                title: LocalizedText(en: "Live", de: "Live"), body: LocalizedText(en: "b", de: "b")
            ))
            #expect(outcome == .suppressed(.settingOff))
            let security = try await w.server.services.inbox.send(OutgoingMessage(
                accountID: buyer.id, category: .security, rule: "login_help",
                title: LocalizedText(en: "Help", de: "Hilfe"), body: LocalizedText(en: "b", de: "b")
            ))
            guard case .sent = security else { Issue.record("security items always go through: \(security)"); return }
        }
    }
}
