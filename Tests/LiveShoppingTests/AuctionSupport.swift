import Core
import Foundation
import Testing
import TestSupport

/// Shortcuts of the auction tests (API.md §22), all through the HTTP API.
extension LiveFixture {
    /// Pins an auction and returns the pin's id.
    func auctionPin(
        _ sessionID: String, product productID: String, starting: Int64 = 1000, increment: Int64 = 100,
        duration: Int64 = 600
    ) async throws -> String {
        let pin = try await server.send("POST", "/v1/live-sessions/\(sessionID)/pins", json: [
            "product_id": .string(productID),
            "auction": ["starting_bid_cents": .int(starting), "increment_cents": .int(increment), "duration_seconds": .int(duration)],
        ], token: hostToken)
        try #require(pin.status == 201, "\(pin.text)")
        return try #require(pin.json["id"]?.stringValue)
    }

    /// Places a bid; `max` nil sends none.
    func bid(
        _ sessionID: String, _ pinID: String, token: String, amount: Int64, max: Int64? = nil, key: String? = nil
    ) async throws -> TestResponse {
        var body: [(String, JSON)] = [("amount_cents", .int(amount))]
        if let max { body.append(("max_cents", .int(max))) }
        return try await server.send(
            "POST", "/v1/live-sessions/\(sessionID)/pins/\(pinID)/bids", json: .object(body), token: token,
            headers: key.map { [("Idempotency-Key", $0)] } ?? []
        )
    }

    /// The auction object of a pin as the session shows it; `nil` once the pin ended.
    func auction(_ sessionID: String, _ pinID: String) async throws -> JSON? {
        let session = try await server.send("GET", "/v1/live-sessions/\(sessionID)")
        return session.json["pins"]?.arrayValue?.first { $0["id"]?.stringValue == pinID }?["auction"]
    }

    func balance(_ token: String) async throws -> Int64 {
        try #require(try await server.send("GET", "/v1/wallet", token: token).json["balance_cents"]?.intValue)
    }

    /// The wallet's lines as `(kind, amount)`; lines of the same second come in no particular order.
    func walletLines(_ token: String) async throws -> [(kind: String, amount: Int64)] {
        let list = try await server.send("GET", "/v1/wallet/transactions?limit=100", token: token)
        let lines = try #require(list.json["data"]?.arrayValue)
        return lines.reversed().map { ($0["kind"]?.stringValue ?? "", $0["amount_cents"]?.intValue ?? 0) }
    }

    func admin() async throws -> String {
        try await server.signUp(name: "Ada Admin", roles: [.admin]).token
    }

    func ledgerCheck(_ adminToken: String) async throws -> JSON {
        let check = try await server.send("GET", "/v1/admin/ledger/check", token: adminToken)
        try #require(check.status == 200, "\(check.text)")
        return check.json
    }

    /// Moves the test clock forward (API.md §13).
    func advance(_ seconds: Int64, admin adminToken: String) async throws {
        let moved = try await server.send(
            "POST", "/v1/admin/test-clock", json: ["advance_seconds": .int(seconds)], token: adminToken
        )
        try #require(moved.status == 200, "\(moved.text)")
    }

    /// Runs what became due after a clock advance, without waiting for the scheduler's own pass: the event
    /// consumers catch up, then scheduler passes run until none is full. The server's loop may take a job first;
    /// either way it has committed when this returns, since both write through the one writer.
    func runScheduler() async {
        await server.app.dispatcher.catchUp()
        while await server.services.scheduler.runDue() {}
    }

    /// The server's clock now, in epoch seconds.
    func now() -> Int64 { server.services.clock.now().epochSeconds }

    /// The caller's orders, newest first.
    func orders(_ token: String) async throws -> [JSON] {
        try #require(try await server.send("GET", "/v1/orders", token: token).json["data"]?.arrayValue)
    }
}

/// Polls `condition` every 100 ms for up to `seconds` (scheduled work runs within 5 s of a clock advance, §13).
func eventually(within seconds: Double = 10, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(100))
    }
    return try await condition()
}

/// Parses an RFC 3339 time of the API into epoch seconds.
func epochSeconds(_ json: JSON?) -> Int64? {
    json?.stringValue.flatMap(Timestamp.parse).map { Int64($0.timeIntervalSince1970) }
}

extension TestResponse {
    var errorField: String? { json["errors"]?.arrayValue?.first?["field"]?.stringValue }
}
