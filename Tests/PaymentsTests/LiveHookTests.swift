import App
import Catalog
import Core
import Foundation
import Payments
import Storage
import Testing

/// A stand-in for LiveShopping: one pin selling `flashProduct` at `flashPrice` from its own allotment.
final class FakeLiveHook: LiveCheckoutHook, @unchecked Sendable {
    // Invariant: the mutable state is only touched while holding `lock`.
    private let lock = NSLock()
    private var remaining: Int64
    private var recorded: [String] = []
    private var committed: [String] = []
    let flashProduct: String
    let flashPrice: Int64

    init(flashProduct: String, flashPrice: Int64, units: Int64) {
        self.flashProduct = flashProduct
        self.flashPrice = flashPrice
        remaining = units
    }

    func admit(sessionID: String, pinID: String?, productIDs: [String], now: Int64, in db: any Transaction) throws -> String? {
        guard sessionID == "live_1" else { throw Failure.notFound("Live session \(sessionID)") }
        return pinID == nil ? nil : flashProduct
    }

    func flashUnitPrice(
        sessionID: String, pinID: String, productID: String, quantity: Int64, now: Int64, in db: any Transaction
    ) throws -> Int64? {
        guard sessionID == "live_1" else { throw Failure.notFound("Live session \(sessionID)") }
        guard productID == flashProduct else { return nil }
        return try lock.withLock {
            guard remaining >= quantity else { throw Failure("sold_out", .conflict, "The pin is sold out") }
            remaining -= quantity
            return flashPrice
        }
    }

    func recordOrder(
        sessionID: String, orderID: String, accountID: String, lines: [(productID: String, quantity: Int64)], now: Int64,
        in db: any Transaction
    ) throws {
        lock.withLock { recorded.append(orderID) }
    }

    func didCommit(sessionID: String) { lock.withLock { committed.append(sessionID) } }

    var recordedOrders: [String] { lock.withLock { recorded } }
    var commits: [String] { lock.withLock { committed } }
}

@Suite("Checkout through a live pin (service level, with a stand-in hook)")
struct LiveHookTests {
    @Test("flash units are priced by the hook and not taken from stock; other lines are; the session records the order")
    func flashUnits() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("basar-live-\(UUID().uuidString).sqlite").path
        let database = try Database(path: path)
        defer {
            database.close()
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        try await database.migrate(BasarApp.migrations)
        let catalog = CatalogService(database: database, clock: SystemClock(), ids: .random, categoryNames: [:])
        let pinned = try await catalog.create(ProductDraft(sku: "PIN-1", title: "Teekanne", priceCents: 2000, stock: 5, category: "kueche"))
        let plain = try await catalog.create(ProductDraft(sku: "PLAIN-1", title: "Tassen", priceCents: 300, stock: 5, category: "kueche"))
        let hook = FakeLiveHook(flashProduct: pinned.id, flashPrice: 999, units: 3)
        let orders = OrderService(
            database: database, ids: .random, clock: SystemClock(), renderer: PlainRenderer(), liveCheckout: hook
        )
        let wallet = WalletService(database: database, ids: .random, clock: SystemClock())
        let buyer = "acct_live_buyer"
        try await database.write { db in
            try db.run(
                "INSERT INTO accounts (id, email, password_hash, display_name, created_at) VALUES (?, 'b@example.com', 'x', 'B', 0)",
                buyer
            )
            _ = try wallet.topUp(10_000, method: "sandbox", for: buyer, now: 0, in: db)
        }
        let request = CheckoutRequest(
            lines: [.init(productID: pinned.id, quantity: 2), .init(productID: plain.id, quantity: 1)],
            liveSessionID: "live_1", pinID: "pin_1"
        )
        let order = try #require(try await orders.checkout(request, for: buyer).committed)
        #expect(order.items.map(\.unitPriceCents) == [999, 300])
        #expect(order.totalCents == 2 * 999 + 300)
        #expect(order.liveSessionID == "live_1")
        #expect(order.pinID == "pin_1")
        #expect(hook.recordedOrders == [order.id])
        #expect(hook.commits == ["live_1"])
        let stocks = try await database.read { db in
            (try ProductStore.product(pinned.id, in: db)?.stock, try ProductStore.product(plain.id, in: db)?.stock)
        }
        #expect(stocks.0 == 5, "flash units left stock when pinned")
        #expect(stocks.1 == 4)

        // Sold out at the pin: nothing changes, not even the plain line's stock.
        let tooMany = CheckoutRequest(
            lines: [.init(productID: plain.id, quantity: 1), .init(productID: pinned.id, quantity: 2)],
            liveSessionID: "live_1", pinID: "pin_1"
        )
        await #expect(throws: Failure.self) {
            try await database.write { db in try orders.checkout(tooMany, for: buyer, now: 11, in: db) }
        }
        let after = try await database.read { db in try ProductStore.product(plain.id, in: db)?.stock }
        #expect(after == 4)
        let report = try await wallet.check()
        #expect(report.isBalanced)
    }
}

/// Event data for service-level tests: only the ids.
struct PlainRenderer: CommerceRenderer {
    func json(_ order: Order) -> JSON { ["id": .string(order.id)] }
    func json(_ shipment: Shipment) -> JSON { ["id": .string(shipment.id)] }
}
