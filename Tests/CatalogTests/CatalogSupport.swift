import Core
import Foundation
import TestSupport

/// An app with a merchant, for the catalog and cart tests: in process by default, on a socket where a test races
/// parallel requests against the real server (`startServer`).
struct CatalogFixture<Server: TestApp> {
    let server: Server
    let merchant: String

    private static func start(_ make: () async throws -> Server) async throws -> CatalogFixture {
        await ServerGate.shared.acquire()
        do {
            let server = try await make()
            do {
                let (merchant, _) = try await server.signUp(roles: [.merchant])
                return CatalogFixture(server: server, merchant: merchant)
            } catch {
                await server.stop()
                throw error
            }
        } catch {
            await ServerGate.shared.release()
            throw error
        }
    }

    /// Creates a product through the API and returns its JSON.
    @discardableResult
    func product(
        _ title: String, description: String = "", price: Int64 = 1000, stock: Int64 = 10, category: String = "misc",
        active: Bool = true, sku: String? = nil
    ) async throws -> JSON {
        let response = try await server.send("POST", "/v1/products", json: [
            "sku": .string(sku ?? "SKU-\(UUID().uuidString.prefix(12))"), "title": .string(title),
            "description": .string(description), "price_cents": .int(price), "stock": .int(stock),
            "category": .string(category), "active": .bool(active),
        ], token: merchant)
        guard response.status == 201 else { throw TestClientError("create failed: \(response.status) \(response.text)") }
        return response.json
    }

    /// Every product of a list, following `next_cursor`.
    func all(_ path: String, token: String? = nil) async throws -> [JSON] {
        var items: [JSON] = []
        var cursor: String?
        for _ in 0..<1000 {
            let separator = path.contains("?") ? "&" : "?"
            let url = cursor.map { "\(path)\(separator)cursor=\($0)" } ?? path
            let response = try await server.send("GET", url, token: token)
            guard response.status == 200 else { throw TestClientError("list failed: \(response.status) \(response.text)") }
            items += response.json["data"]?.arrayValue ?? []
            cursor = response.json["next_cursor"]?.stringValue
            if cursor == nil { break }
        }
        return items
    }

    func stop() async {
        await server.stop()
        await ServerGate.shared.release()
    }
}

extension CatalogFixture where Server == InProcessApp {
    static func start(clock: any WallClock = SystemClock()) async throws -> CatalogFixture {
        try await start { try await InProcessApp(clock: clock) }
    }
}

extension CatalogFixture where Server == TestServer {
    static func startServer() async throws -> CatalogFixture {
        try await start { try await TestServer() }
    }
}

extension JSON {
    var id: String { self["id"]?.stringValue ?? "" }
}

/// Percent-encodes a query value.
func encoded(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
}
