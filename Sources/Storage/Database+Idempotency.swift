import Core

/// An `Idempotency-Key` of API.md §1 as the work sees it: whose key it is, the key, and a fingerprint of the request
/// it came with (a key sent again with another request is refused, not replayed).
public struct IdempotencyKey: Sendable, Hashable {
    public let accountID: String
    public let key: String
    public let fingerprint: String

    public init(accountID: String, key: String, fingerprint: String) {
        self.accountID = accountID
        self.key = key
        self.fingerprint = fingerprint
    }
}

/// An answer exactly as its client got it; a retry gets these bytes again.
public struct StoredAnswer: Sendable, Equatable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]

    public init(status: Int, contentType: String, body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}

/// How the caller (the API) turns a result, or a domain error, into the answer to store: features know no HTTP.
public struct Answering<Value>: Sendable {
    public let success: @Sendable (Value) -> StoredAnswer
    public let failure: @Sendable (any DomainError) -> StoredAnswer

    public init(success: @escaping @Sendable (Value) -> StoredAnswer, failure: @escaping @Sendable (any DomainError) -> StoredAnswer) {
        self.success = success
        self.failure = failure
    }
}

extension Answering {
    /// For callers without a key (demo data, tests, the CLI): nothing is stored, so nothing is encoded.
    public static var unkeyed: Answering<Value> {
        let empty = StoredAnswer(status: 0, contentType: "", body: [])
        return Answering(success: { _ in empty }, failure: { _ in empty })
    }
}

/// The outcome of a keyed write.
public enum Keyed<Value: Sendable>: Sendable {
    /// The work ran and committed now, together with its stored answer.
    case done(Value, StoredAnswer)
    /// The work did not commit now: the answer stored earlier for the key (`replayed`), or a domain error's answer
    /// stored now so a retry gets the same refusal.
    case answered(StoredAnswer, replayed: Bool)

    /// The result when the work committed now; after-commit effects run only then.
    public var committed: Value? {
        if case let .done(value, _) = self { value } else { nil }
    }
}

extension Database {
    /// How long an answer is kept for its key (API.md §1).
    public static let idempotencyLifetimeSeconds: Int64 = 24 * 3600

    public static var idempotencyMigrations: [Migration] { IdempotencyStore.migrations }

    /// Runs `work` in one write transaction, honouring `key` if there is one.
    ///
    /// A success's answer is stored in the same transaction as the work it describes, so a crash can never leave an
    /// effect without its stored answer (a retry would then do the work twice). A domain error rolls the work back
    /// and its answer is stored afterwards on its own. Keys whose request is running live in memory: one process owns
    /// the database's writes, and after a restart nothing is in progress.
    ///
    /// - Throws: `409 idempotency_in_progress`, `422 idempotency_key_reused`; without a key, whatever `work` throws;
    ///   with one, what `work` throws that is not a ``DomainError``.
    public func write<Value: Sendable>(
        keyed key: IdempotencyKey?, now: Int64, answering: Answering<Value>,
        _ work: @escaping @Sendable (any Transaction) throws -> Value
    ) async throws -> Keyed<Value> {
        guard let key else {
            // Nothing is stored, so the answer is encoded after the commit, off the single writer.
            let value = try await write { db in try work(db) }
            return .done(value, answering.success(value))
        }
        let slot = key.accountID + "\u{0}" + key.key
        guard keysInProgress.withLock({ $0.insert(slot).inserted }) else {
            throw Failure("idempotency_in_progress", .conflict, "A request with this Idempotency-Key is still running")
        }
        defer { _ = keysInProgress.withLock { $0.remove(slot) } }

        let outcome: Keyed<Value>
        do {
            outcome = try await write { db in
                // Other nodes: the same key's second request waits here for the first to commit, then replays it.
                if db.dialect == .postgres {
                    _ = try db.query(
                        "SELECT pg_advisory_xact_lock(hashtext(current_schema()), hashtext(?)) AS locked", key.accountID + " " + key.key
                    )
                }
                if let (fingerprint, answer) = try IdempotencyStore.answer(
                    to: key, since: now - Self.idempotencyLifetimeSeconds, in: db
                ) {
                    guard fingerprint == key.fingerprint else { throw Self.keyReused }
                    return .answered(answer, replayed: true)
                }
                let value = try work(db)
                let answer = answering.success(value)
                try IdempotencyStore.save(answer, for: key, now: now, in: db)
                return .done(value, answer)
            }
        } catch let error as Failure where error == Self.keyReused {
            throw error
        } catch let error as any DomainError {
            let answer = answering.failure(error)
            try await write { db in try IdempotencyStore.save(answer, for: key, now: now, in: db) }
            return .answered(answer, replayed: false)
        }
        return outcome
    }

    /// ``write(keyed:now:answering:_:)`` at `clock`'s now, which `work` gets too: the one time of the request.
    public func write<Value: Sendable>(
        keyed key: IdempotencyKey?, clock: any WallClock, answering: Answering<Value>,
        _ work: @escaping @Sendable (_ now: Int64, any Transaction) throws -> Value
    ) async throws -> Keyed<Value> {
        let now = clock.now().epochSeconds
        return try await write(keyed: key, now: now, answering: answering) { db in try work(now, db) }
    }

    /// How many keyed requests are running now; tests wait on it instead of sleeping.
    public var keyedWritesRunning: Int { keysInProgress.withLock { $0.count } }

    private static let keyReused = Failure(
        "idempotency_key_reused", .unprocessable, "This Idempotency-Key was used with a different request",
        fields: [FieldError(field: "Idempotency-Key", message: "was used with a different request")]
    )
}
