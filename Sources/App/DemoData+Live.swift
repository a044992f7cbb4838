import API
import Accounts
import Catalog
import Core
import Foundation
import LiveShopping
import Storage

extension DemoData {
    /// Loads `Fixtures/demo/live.json`: sessions by a demo host, optionally started and with pins (a pin's product is
    /// named by its `sku`; a flash pin takes its units from the demo stock; an auction pin may come with bids by demo
    /// accounts, placed through the bid route's own code).
    ///
    /// - Throws: when the file is malformed or names an unknown host or product.
    static func loadLive(from directory: URL, into services: Services, logger: Logger) async throws {
        let file = directory.appendingPathComponent("demo/live.json")
        let json = try JSONParser.parse(Array(try Data(contentsOf: file)))
        var created = 0
        for entry in json["sessions"]?.arrayValue ?? [] {
            guard let email = entry["host_email"]?.stringValue, let title = entry["title"]?.stringValue else {
                throw Failure.invalidState("demo/live.json has a malformed session: \(entry.serializedString())")
            }
            let host = try await services.database.read { db -> Principal? in
                guard let id = try AccountService.accountID(email: email, in: db),
                      let name = try AccountService.displayName(of: id, in: db)
                else { return nil }
                return Principal(accountID: id, displayName: name, roles: [.host], tokenHash: [])
            }
            guard let host else { throw Failure.invalidState("demo/live.json names an unknown host \(email)") }
            let session = try await services.live.create(
                hostID: host.accountID, title: title, description: entry["description"]?.stringValue,
                scheduledAt: entry["scheduled_at"]?.stringValue.flatMap(Timestamp.parse)?.epochSeconds,
                streamURL: entry["stream_url"]?.stringValue
            )
            created += 1
            guard entry["start"]?.boolValue == true else { continue }
            _ = try await services.live.start(session.id, by: host)
            for pin in entry["pins"]?.arrayValue ?? [] {
                guard let sku = pin["sku"]?.stringValue else { continue }
                let productID = try await services.database.read { db in try ProductStore.id(sku: sku, in: db) }
                guard let productID else { throw Failure.invalidState("demo/live.json names an unknown sku \(sku)") }
                let auction = pin["auction"].map { terms in
                    AuctionTerms(
                        startingBidCents: terms["starting_bid_cents"]?.intValue ?? 0,
                        incrementCents: terms["increment_cents"]?.intValue ?? 0,
                        durationSeconds: terms["duration_seconds"]?.intValue ?? 0
                    )
                }
                let pinned = try await services.live.pin(
                    sessionID: session.id, by: host, productID: productID,
                    flashPriceCents: pin["flash_price_cents"]?.intValue, flashQuantity: pin["flash_quantity"]?.intValue,
                    durationSeconds: pin["duration_seconds"]?.intValue, auction: auction
                )
                for bid in pin["bids"]?.arrayValue ?? [] {
                    try await placeBid(bid, on: pinned.id, in: session.id, services: services)
                }
            }
        }
        logger.info("demo live sessions loaded", ["sessions": String(created)])
    }

    /// A demo bid `{"email", "amount_cents", "max_cents"?}` on an auction pin, as that account.
    private static func placeBid(_ bid: JSON, on pinID: String, in sessionID: String, services: Services) async throws {
        guard let email = bid["email"]?.stringValue, let amount = bid["amount_cents"]?.intValue,
              let bidder = try await services.database.read({ db in try AccountService.accountID(email: email, in: db) })
        else { throw Failure.invalidState("demo/live.json has a malformed bid: \(bid.serializedString())") }
        let (live, now) = (services.live, services.clock.now().epochSeconds)
        _ = try await services.database.write { db in
            try live.bid(
                sessionID: sessionID, pinID: pinID, accountID: bidder, amountCents: amount,
                maxCents: bid["max_cents"]?.intValue, now: now, in: db
            )
        }
        live.didCommit(sessionID: sessionID)
    }
}
