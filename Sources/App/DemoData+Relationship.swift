import API
import Accounts
import Catalog
import Core
import Foundation
import Insights
import Payments
import Storage
import Teams

extension DemoData {
    /// Loads `Fixtures/demo/relationship.json` (if present): addresses, orders shipped and delivered, follows, a
    /// community with a message, an answered service conversation and running experiments — through the same
    /// services as the API.
    ///
    /// - Throws: when the file is malformed or names an unknown account or product.
    static func loadRelationship(from directory: URL, into services: Services, logger: Logger) async throws {
        let file = directory.appendingPathComponent("demo/relationship.json")
        guard let data = try? Data(contentsOf: file) else { return }
        let json = try JSONParser.parse(Array(data))
        func principal(_ email: String?) async throws -> Principal {
            let found = try await services.database.read { db -> Principal? in
                guard let email, let id = try AccountService.accountID(email: email, in: db),
                      let account = try AccountService.account(id: id, in: db)
                else { return nil }
                return Principal(accountID: id, displayName: account.displayName, roles: Set(account.roles), tokenHash: [])
            }
            guard let found else { throw Failure.invalidState("demo/relationship.json names an unknown account \(email ?? "")") }
            return found
        }
        var addresses: [String: String] = [:]
        for entry in json["addresses"]?.arrayValue ?? [] {
            let owner = try await principal(entry["email"]?.stringValue)
            let address = try await services.addresses.create(AddressDraft(
                name: entry["name"]?.stringValue ?? "", line1: entry["line1"]?.stringValue ?? "", line2: nil,
                postalCode: entry["postal_code"]?.stringValue ?? "", city: entry["city"]?.stringValue ?? "",
                country: entry["country"]?.stringValue ?? "DE"
            ), for: owner.accountID)
            addresses[owner.accountID] = address.id
        }
        func product(_ sku: String?) async throws -> String {
            guard let sku, let id = try await services.database.read({ db in try ProductStore.id(sku: sku, in: db) }) else {
                throw Failure.invalidState("demo/relationship.json names an unknown sku \(sku ?? "")")
            }
            return id
        }
        // An order is one `sku` or several `items`; orders holding several products give the recommendations'
        // "bought together" something to show at once.
        var delivered: [String: String] = [:]
        for entry in json["orders"]?.arrayValue ?? [] {
            let buyer = try await principal(entry["email"]?.stringValue)
            var lines: [CheckoutRequest.Line] = []
            for item in entry["items"]?.arrayValue ?? [entry] {
                lines.append(.init(productID: try await product(item["sku"]?.stringValue), quantity: item["quantity"]?.intValue ?? 1))
            }
            let request = CheckoutRequest(lines: lines, addressID: addresses[buyer.accountID])
            let now = services.clock.now().epochSeconds
            let orders = services.orders
            let order = try await services.database.write { db in try orders.checkout(request, for: buyer.accountID, now: now, in: db) }
            let shipment = try await services.orders.ship(orderID: order.id, ShipmentDraft(
                carrier: entry["carrier"]?.stringValue ?? "DHL", trackingNumber: entry["tracking_number"]?.stringValue ?? "1",
                promisedDeliveryDate: CalendarDay.text(of: services.clock.now(), plusDays: 3), lines: nil
            ))
            if entry["delivered"]?.boolValue == true {
                _ = try await services.orders.markDelivered(shipmentID: shipment.id)
                delivered[buyer.accountID] = order.id
            }
        }
        // Answers to the delivery survey about each shopper's last delivered order, invited now instead of three days
        // after delivery, so the admin's feedback page has figures on the demo's first day.
        for entry in json["survey_answers"]?.arrayValue ?? [] {
            let customer = try await principal(entry["email"]?.stringValue)
            guard let order = delivered[customer.accountID],
                  let invitation = try await services.surveys.inviteNow(
                      entry["survey"]?.stringValue ?? "", account: customer.accountID, subjectType: "order", subject: order
                  )
            else { throw Failure.invalidState("demo/relationship.json: no survey invitation for \(entry["email"]?.stringValue ?? "")") }
            _ = try await services.surveys.respond(
                to: invitation.id, score: entry["score"]?.intValue ?? 0, comment: entry["comment"]?.stringValue, by: customer.accountID
            )
        }
        for entry in json["follows"]?.arrayValue ?? [] {
            let follower = try await principal(entry["email"]?.stringValue)
            let host = try await principal(entry["host"]?.stringValue)
            _ = try await services.follows.follow(host.accountID, by: follower.accountID)
        }
        for entry in json["communities"]?.arrayValue ?? [] {
            let owner = try await principal(entry["owner"]?.stringValue)
            let community = try await services.communities.create(
                name: entry["name"]?.stringValue ?? "", description: entry["description"]?.stringValue ?? "", by: owner
            )
            for member in entry["members"]?.arrayValue ?? [] {
                _ = try await services.communities.join(community.id, by: try await principal(member.stringValue).accountID)
            }
            for message in entry["messages"]?.arrayValue ?? [] {
                _ = try await services.communities.post(
                    message["text"]?.stringValue ?? "", to: community.id, by: try await principal(message["email"]?.stringValue)
                )
            }
        }
        for entry in json["team_deals"]?.arrayValue ?? [] {
            let merchant = try await principal(entry["merchant"]?.stringValue)
            let productID = try await product(entry["sku"]?.stringValue)
            _ = try await services.teams.createDeal(TeamDealDraft(
                productID: productID, teamPriceCents: entry["team_price_cents"]?.intValue ?? 0,
                teamSize: entry["team_size"]?.intValue ?? 2, windowSeconds: entry["window_seconds"]?.intValue ?? 86_400
            ), by: merchant.accountID)
        }
        for entry in json["conversations"]?.arrayValue ?? [] {
            let customer = try await principal(entry["email"]?.stringValue)
            let conversation = try await services.conversations.open(
                subject: entry["subject"]?.stringValue ?? "", text: entry["text"]?.stringValue ?? "", orderID: nil, by: customer
            )
            if let reply = entry["reply"] {
                let agent = try await principal(reply["agent"]?.stringValue)
                _ = try await services.conversations.write(reply["text"]?.stringValue ?? "", to: conversation.id, by: agent)
            }
        }
        // Running, so the abandoned-cart rule and the scratch card that name them vary by account at once.
        for entry in json["experiments"]?.arrayValue ?? [] {
            let variants = (entry["variants"]?.arrayValue ?? []).map {
                Experiment.Variant(key: $0["key"]?.stringValue ?? "", weight: $0["weight"]?.intValue ?? 1)
            }
            _ = try await services.experiments.create(ExperimentService.Draft(
                key: entry["key"]?.stringValue ?? "", description: entry["description"]?.stringValue, variants: variants
            ))
        }
        logger.info("demo relationship data loaded")
    }
}
