import Core
import Foundation
import HTTP
import Storage

/// `Idempotency-Key` handling of API.md §1 and §12, shared by every endpoint that moves money, stock or prizes.
///
/// A successful answer is stored in the same transaction as the work it describes, so a crash can never leave an
/// effect without its stored answer (and a retry would then do the work twice). Domain errors roll the work back and
/// are stored afterwards on their own. Keys whose request is running live in memory: one process owns the database's
/// writes, and after a restart nothing is in progress.
public final class Idempotency: Sendable {
    public static let migrations = [
        Migration(
            "0100_create_idempotency_keys",
            """
            CREATE TABLE idempotency_keys (
                account_id TEXT NOT NULL,
                key TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                status INTEGER NOT NULL,
                content_type TEXT NOT NULL,
                body BLOB NOT NULL,
                created_at INTEGER NOT NULL,
                PRIMARY KEY (account_id, key)
            ) WITHOUT ROWID;
            """
        ),
    ]

    static let lifetimeSeconds: Int64 = 24 * 3600

    private let database: Database
    private let clock: any WallClock
    private let running = Mutex<Set<String>>([])

    public init(database: Database, clock: any WallClock) {
        self.database = database
        self.clock = clock
    }

    /// How many keyed requests are running now; tests wait on it instead of sleeping.
    public var runningCount: Int { running.withLock { $0.count } }

    /// Runs `work` in one write transaction, honouring the request's `Idempotency-Key` if it has one.
    ///
    /// - Parameters:
    ///   - work: does the domain work in the open transaction and returns the answer's JSON and a value the route
    ///     uses after commit (such as events to publish); it is `nil` when the answer was replayed or an error.
    /// - Returns: the answer to send.
    /// - Throws: `400` for a malformed key, `409 idempotency_in_progress`, `422 idempotency_key_reused`; without a
    ///   key, whatever `work` throws.
    public func perform<T: Sendable>(
        _ request: APIRequest, status: Int = 201,
        _ work: @escaping @Sendable (Connection) throws -> (JSON, T)
    ) async throws -> (HTTPResponse, T?) {
        guard let key = request.http.headers["Idempotency-Key"] else {
            let (json, value) = try await database.write(work)
            return (.json(status, json), value)
        }
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) else {
            throw Failure.invalid("Idempotency-Key", "must be 1–255 printable ASCII characters")
        }
        let account = request.caller.accountID
        let fingerprint = Self.fingerprint(request)
        let slot = account + "\u{0}" + key
        guard running.withLock({ $0.insert(slot).inserted }) else {
            throw Failure("idempotency_in_progress", .conflict, "A request with this Idempotency-Key is still running")
        }
        defer { _ = running.withLock { $0.remove(slot) } }

        let now = clock.now().epochSeconds
        let outcome: Outcome<T>
        do {
            outcome = try await database.write { db in
                if let stored = try Self.stored(account: account, key: key, now: now, in: db) {
                    return .stored(stored)
                }
                let (json, value) = try work(db)
                let response = HTTPResponse.json(status, json)
                try Self.save(response, account: account, key: key, fingerprint: fingerprint, now: now, in: db)
                return .fresh(response, value)
            }
        } catch let error as any DomainError {
            let response = Problem.response(error, status: Problem.status(of: error.kind))
            try await database.write { db in
                try Self.save(response, account: account, key: key, fingerprint: fingerprint, now: now, in: db)
            }
            return (response, nil)
        }
        switch outcome {
        case let .fresh(response, value):
            return (response, value)
        case let .stored(stored):
            guard stored.fingerprint == fingerprint else {
                throw Failure(
                    "idempotency_key_reused", .unprocessable,
                    "This Idempotency-Key was used with a different request", fields: [
                        FieldError(field: "Idempotency-Key", message: "was used with a different request"),
                    ]
                )
            }
            var response = HTTPResponse(status: stored.status, body: stored.body)
            response.headers.set("Content-Type", stored.contentType)
            response.headers.set("Idempotent-Replayed", "true")
            return (response, nil)
        }
    }

    private enum Outcome<T: Sendable>: Sendable {
        case fresh(HTTPResponse, T)
        case stored(StoredAnswer)
    }

    struct StoredAnswer: Sendable {
        var fingerprint: String
        var status: Int
        var contentType: String
        var body: [UInt8]
    }

    /// Method, path and the body as parsed with sorted keys: key order and white space do not matter.
    static func fingerprint(_ request: APIRequest) -> String {
        var text = request.http.method.rawValue + " " + request.http.path + "\n"
        if !request.http.body.isEmpty {
            if let json = try? JSONParser.parse(request.http.body) {
                text += String(decoding: canonical(json).serialized(), as: UTF8.self)
            } else {
                text += String(decoding: request.http.body, as: UTF8.self)
            }
        }
        return Hex.encode(SHA256.hash(Array(text.utf8)))
    }

    static func canonical(_ value: JSON) -> JSON {
        switch value {
        case let .object(members): .object(members.sorted { $0.0 < $1.0 }.map { ($0.0, canonical($0.1)) })
        case let .array(items): .array(items.map(canonical))
        default: value
        }
    }

    static func stored(account: String, key: String, now: Int64, in db: Connection) throws -> StoredAnswer? {
        guard
            let row = try db.queryOne(
                """
                SELECT fingerprint, status, content_type, body FROM idempotency_keys
                WHERE account_id = ? AND key = ? AND created_at > ?
                """,
                account, key, now - lifetimeSeconds
            )
        else { return nil }
        return StoredAnswer(
            fingerprint: row.string("fingerprint"), status: row.int("status"),
            contentType: row.string("content_type"), body: row.blob("body")
        )
    }

    static func save(
        _ response: HTTPResponse, account: String, key: String, fingerprint: String, now: Int64, in db: Connection
    ) throws {
        guard case let .bytes(body) = response.body else { return }
        try db.run(
            """
            INSERT OR REPLACE INTO idempotency_keys (account_id, key, fingerprint, status, content_type, body, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            account, key, fingerprint, response.status, response.headers["Content-Type"] ?? "application/json",
            body, now
        )
    }
}
