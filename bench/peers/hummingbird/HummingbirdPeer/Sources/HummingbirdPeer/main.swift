// The Hummingbird 2 peer of Basar's bench endpoints, written the way a Swift team would write them with this
// framework (Codable models, the default JSON encoder, the default router), so that bench/*.sh compares servers.
//
//   GET  /bench/plaintext   "Hello, World!" text/plain
//   GET  /bench/json        {"message":"Hello, World!"}
//   GET  /v1/products/{id}  a Product (API.md §3 shape) from an in-memory dictionary of 10,000 products
//   POST /bench/echo        the JSON object it was sent
//
// Usage: HummingbirdPeer PORT [PRODUCTS]; products have ids prd_B000000000000000 … prd_B000000000009999.
import Foundation
import Hummingbird
import Logging

struct Message: ResponseEncodable {
    let message: String
}

/// API.md §3's Product, every key present (`image_url` as null when absent), as Basar renders it.
struct Product: ResponseEncodable, Sendable {
    let id: String
    let sku: String
    let title: String
    let description: String
    let priceCents: Int
    let currency: String
    let stock: Int
    let category: String
    let imageURL: String?
    let active: Bool
    let createdAt: String
    let updatedAt: String

    enum CodingKeys: String, CodingKey {
        case id, sku, title, description, currency, stock, category, active
        case priceCents = "price_cents", imageURL = "image_url", createdAt = "created_at", updatedAt = "updated_at"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(sku, forKey: .sku)
        try c.encode(title, forKey: .title)
        try c.encode(description, forKey: .description)
        try c.encode(priceCents, forKey: .priceCents)
        try c.encode(currency, forKey: .currency)
        try c.encode(stock, forKey: .stock)
        try c.encode(category, forKey: .category)
        if let imageURL { try c.encode(imageURL, forKey: .imageURL) } else { try c.encodeNil(forKey: .imageURL) }
        try c.encode(active, forKey: .active)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
    }
}

/// The echo body of bench/lua/echo.lua, decoded and encoded again as a Hummingbird app would.
struct EchoBody: Codable, ResponseEncodable {
    let name: String
    let quantity: Int
    let priceCents: Int
    let tags: [String]
    let gift: Bool

    enum CodingKeys: String, CodingKey {
        case name, quantity, tags, gift
        case priceCents = "price_cents"
    }
}

/// The same deterministic catalog as bench/tools/catalog.py (the one seeded into Basar): same titles, sizes, ids.
func makeProducts(_ count: Int) -> [String: Product] {
    let adjectives = ["Frischer", "Alter", "Milder", "Würziger", "Bio", "Feiner", "Dunkler", "Heller", "Süßer", "Herber",
                      "Klassischer", "Grüner"]
    let nouns = ["Käse", "Tee", "Kaffee", "Honig", "Schokolade", "Brot", "Apfelsaft", "Wein", "Olivenöl", "Senf", "Müsli",
                 "Teekanne", "Tee-Set", "Kräuterlikör", "Nudeln", "Reis", "Joghurt", "Butter", "Marmelade", "Gewürz",
                 "Essig", "Salami", "Schinken", "Kekse", "Bier"]
    let brands = ["Alpenhof", "Bergmann", "Müller", "Sonnentau", "Nordlicht", "Waldquelle", "Hofgut", "Seeblick",
                  "Talgrund", "Rheinland", "Elbtal", "Moorbach", "Heidekraut", "Donauhof", "Lindenau", "Kornblume"]
    var products: [String: Product] = [:]
    products.reserveCapacity(count)
    for i in 0..<count {
        let id = "prd_B" + String(repeating: "0", count: 15 - String(i).count) + String(i)
        let noun = nouns[(i / adjectives.count) % nouns.count]
        let brand = brands[(i / (adjectives.count * nouns.count)) % brands.count]
        let other = adjectives[(i * 7 + 3) % adjectives.count].lowercased()
        products[id] = Product(
            id: id, sku: "SKU-" + String(repeating: "0", count: max(0, 7 - String(i).count)) + String(i),
            title: "\(adjectives[i % adjectives.count]) \(noun) von \(brand)",
            description: "\(noun) von \(brand): \(other) und sorgfältig ausgewählt. Artikel \(i).",
            priceCents: 100 + (i * 37) % 9900, currency: "EUR", stock: 1_000_000, category: "bench-\(i % 8)",
            imageURL: nil, active: true, createdAt: "2026-11-18T07:33:20Z", updatedAt: "2026-11-18T07:33:20Z"
        )
    }
    return products
}

let arguments = CommandLine.arguments
let port = arguments.count > 1 ? Int(arguments[1]) ?? 8081 : 8081
let products = makeProducts(arguments.count > 2 ? Int(arguments[2]) ?? 10_000 : 10_000)

let router = Router()
router.get("/bench/plaintext") { _, _ in "Hello, World!" }
router.get("/bench/json") { _, _ in Message(message: "Hello, World!") }
router.get("/v1/products/:id") { _, context -> Product in
    guard let id = context.parameters.get("id"), let product = products[id] else { throw HTTPError(.notFound) }
    return product
}
router.post("/bench/echo") { request, context -> EchoBody in
    try await request.decode(as: EchoBody.self, context: context)
}

var logger = Logger(label: "hummingbird-peer")
logger.logLevel = .warning
let app = Application(
    router: router,
    configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "Hummingbird"),
    logger: logger
)
try await app.runService()
