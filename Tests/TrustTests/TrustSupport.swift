import Core
import Foundation
import Testing
import TestSupport

/// An app with an admin and a merchant, shared by the trust tests: in process by default, so consumers and the
/// scheduler run only when a test moves them; on a socket (`withServer`) for parallel requests and the CLI.
struct TrustWorld<Server: TestApp>: TestFixture {
    let server: Server
    let admin: String
    let merchant: String

    static func make(on server: Server) async throws -> TrustWorld {
        let (admin, _) = try await server.signUp(roles: [.admin])
        let (merchant, _) = try await server.signUp(roles: [.merchant])
        return TrustWorld(server: server, admin: admin, merchant: merchant)
    }

    /// A customer with money, and a product it bought.
    func buyer(funds: Int64 = 5_000, email: String? = nil, password: String? = nil) async throws -> (token: String, id: String) {
        let (token, id): (String, String)
        if let email, let password {
            let created = try await server.send("POST", "/v1/accounts", json: [
                "email": .string(email), "password": .string(password), "display_name": "Erika Mustermann",
            ])
            try #require(created.status == 201, "\(created.text)")
            (token, id) = (try #require(created.json["token"]?.stringValue), try #require(created.json["account"]?["id"]?.stringValue))
        } else {
            (token, id) = try await server.signUp(name: "Erika Mustermann")
        }
        if funds > 0 {
            let topUp = try await server.send("POST", "/v1/wallet/top-ups", json: ["amount_cents": .int(funds), "method": "sandbox"], token: token)
            try #require(topUp.status == 201)
        }
        return (token, id)
    }

    func product(price: Int64 = 1_000) async throws -> String {
        let response = try await server.send("POST", "/v1/products", json: [
            "sku": .string("SKU-\(UUID().uuidString.prefix(12))"), "title": "Teekanne", "price_cents": .int(price),
            "stock": 50, "category": "test",
        ], token: merchant)
        try #require(response.status == 201, "\(response.text)")
        return try #require(response.json["id"]?.stringValue)
    }

    func order(_ product: String, token: String, quantity: Int64 = 1) async throws -> String {
        let order = try await server.send("POST", "/v1/orders", json: ["items": [["product_id": .string(product), "quantity": .int(quantity)]]], token: token)
        try #require(order.status == 201, "\(order.text)")
        return try #require(order.json["id"]?.stringValue)
    }

    /// Lets the event consumers handle everything committed so far.
    func settle() async { await server.app.dispatcher.catchUp() }
}

extension JSON {
    var id: String { self["id"]?.stringValue ?? "" }
}
