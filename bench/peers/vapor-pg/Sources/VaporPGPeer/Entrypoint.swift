// The Vapor 4 + Fluent peer of Basar on PostgreSQL (issue 25's benchmark): the code a Swift team would write with
// the ecosystem's usual stack, on the same database and tables that Basar created.
//
//   GET  /v1/products/{id}  a Product (API.md §3), read with Fluent (`ProductModel.find`)
//   POST /v1/orders         {"items": [{"product_id", "quantity"}]} with `Authorization: Bearer …` → 201 Order:
//                           Basar's checkout statements (OrderService.checkout) in one PostgreSQL transaction
//   GET  /healthz           {"status":"ok"}
//
// Usage: DATABASE_URL=postgresql://postgres@127.0.0.1:5432/basar \
//          .build-peer/release/VaporPGPeer serve --hostname 127.0.0.1 --port 8090
// DATABASE_URL also takes libpq's socket form, postgresql://USER@/DB?host=SOCKETDIR[&port=PORT].
// PG_POOL_PER_LOOP: connections per event loop (default 4; Fluent's own default is 1, one loop per core).
// LOG_LEVEL: default warning (Vapor logs every request at info otherwise).
import Fluent
import FluentPostgresDriver
import Vapor

@main
enum Entrypoint {
    static func main() async throws {
        if ProcessInfo.processInfo.environment["LOG_LEVEL"] == nil { setenv("LOG_LEVEL", "warning", 1) }
        var env = try Environment.detect()
        try LoggingSystem.bootstrap(from: &env)
        let app = try await Application.make(env)
        do {
            try configure(app)
            try await app.execute()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    static func configure(_ app: Application) throws {
        let environment = ProcessInfo.processInfo.environment
        let url = environment["DATABASE_URL"] ?? "postgresql://postgres@127.0.0.1:5432/basar"
        let perLoop = Int(environment["PG_POOL_PER_LOOP"] ?? "") ?? 4
        app.databases.use(
            .postgres(configuration: try postgresConfiguration(url), maxConnectionsPerEventLoop: perLoop),
            as: .psql
        )
        app.get("healthz") { _ in ["status": "ok"] }
        app.get("v1", "products", ":id", use: ProductRoutes.product)
        app.post("v1", "orders", use: CheckoutRoutes.checkout)
    }

    /// `postgresql://USER[:PASSWORD]@HOST[:PORT]/DB` over TCP without TLS (loopback), or libpq's unix-socket form
    /// `postgresql://USER@/DB?host=/socket/dir[&port=PORT]`, which PostgresKit's own URL parser does not take.
    static func postgresConfiguration(_ text: String) throws -> SQLPostgresConfiguration {
        guard let url = URLComponents(string: text), let user = url.user else {
            throw Abort(.internalServerError, reason: "DATABASE_URL is not a postgresql:// URL: \(text)")
        }
        let database = String(url.path.drop(while: { $0 == "/" }))
        var query: [String: String] = [:]
        for item in url.queryItems ?? [] { query[item.name] = item.value }
        let port = Int(query["port"] ?? "") ?? url.port ?? 5432
        if let socketDirectory = query["host"], socketDirectory.hasPrefix("/") {
            return SQLPostgresConfiguration(
                unixDomainSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: user, password: url.password,
                database: database
            )
        }
        return SQLPostgresConfiguration(
            hostname: url.host.flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1", port: port, username: user,
            password: url.password, database: database, tls: .disable
        )
    }
}

enum JSONCoding {
    /// Basar writes `/` unescaped (Core.JSON); Foundation's encoder escapes it unless told not to.
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }

    /// A JSON answer (`application/json; charset=utf-8`, as Basar's).
    static func response(_ status: HTTPResponseStatus, _ value: some Encodable) throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: status, headers: headers, body: .init(data: try encoder.encode(value)))
    }
}
