import Core
import Foundation
import Testing
import TestSupport

/// The in-process layer: the API without a socket, the event log and the scheduler moved by the test itself.
@Suite("In process: settings, consents and an order's inbox item without a socket")
struct InProcessTests {
    @Test("settings validation, a consent grant and withdrawal, and the order's item after settle()")
    func inProcess() async throws {
        let app = try await InProcessApp()
        do {
            let (merchant, _) = try await app.signUp(roles: [.merchant])
            let (buyer, _) = try await app.signUp()
            let bad = try await app.send("PATCH", "/v1/me/notification-settings", json: ["quiet_hours": ["start": "7", "end": "08:00"]], token: buyer)
            #expect(bad.status == 400)
            #expect(bad.json["errors"]?.arrayValue?.first?["field"] == "quiet_hours.start")
            let version = try #require(try await app.send("GET", "/v1/privacy/notices").json["data"]?.arrayValue?.first?["version"]?.stringValue)
            #expect(try await app.send("PUT", "/v1/me/consents/marketing", json: ["granted": true, "notice_version": .string(version)], token: buyer).status == 200)
            #expect(try await app.send("PUT", "/v1/me/consents/marketing", json: ["granted": false], token: buyer).status == 200)
            #expect(try await app.send("GET", "/v1/me/consents", token: buyer).json["history"]?.arrayValue?.count == 2)
            _ = try await app.send("POST", "/v1/wallet/top-ups", json: ["amount_cents": 5_000, "method": "sandbox"], token: buyer)
            let product = try await app.send("POST", "/v1/products", json: [
                "sku": "INPROC-1", "title": "Teekanne", "price_cents": 1_000, "stock": 3, "category": "test",
            ], token: merchant)
            let order = try await app.send("POST", "/v1/orders", json: ["items": [["product_id": .string(product.json["id"]?.stringValue ?? ""), "quantity": 1]]], token: buyer)
            #expect(order.status == 201)
            #expect(try await app.send("GET", "/v1/inbox/unread-count", token: buyer).json["unread"] == 0, "nothing runs in the background")
            await app.settle()
            #expect(try await app.send("GET", "/v1/inbox/unread-count", token: buyer).json["unread"] == 1)
        } catch {
            Issue.record(error)
        }
        await app.stop()
    }
}

@Suite("Check order of API.md §24 on the new routes")
struct CheckOrderTests {
    @Test("404 for the path's object before 400 for the body; 403 for a named object before a rule across fields")
    func order() async throws {
        let app = try await InProcessApp()
        do {
            let (host, _) = try await app.signUp(roles: [.host])
            let (buyer, _) = try await app.signUp()
            #expect(try await app.send("POST", "/v1/conversations/cnv_nope/resolve", json: ["x": 1], token: buyer).status == 404)
            #expect(try await app.send("POST", "/v1/communities/cmty_nope/members", json: ["x": 1], token: buyer).status == 404)
            #expect(try await app.send("POST", "/v1/inbox/ntf_nope/read", json: ["x": 1], token: buyer).status == 404)
            let community = try await app.send("POST", "/v1/communities", json: ["name": "Tee"], token: host).json["id"]?.stringValue ?? ""
            let notMember = try await app.send("POST", "/v1/red-packets", json: [
                "total_cents": 5, "count": 10, "community_id": .string(community),
            ], token: buyer)
            #expect(notMember.status == 403, "membership before total_cents < count")
            let zone = try await app.send("PATCH", "/v1/me/notification-settings", json: ["time_zone": "GMT"], token: buyer)
            #expect(zone.status == 200, "an IANA name without a slash")
            #expect(try await app.send("PATCH", "/v1/me/notification-settings", json: ["time_zone": "Mars/Base"], token: buyer).status == 400)
        } catch {
            Issue.record(error)
        }
        await app.stop()
    }
}
