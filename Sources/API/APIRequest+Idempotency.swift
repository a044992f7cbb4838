import Core
import HTTP
import Storage

/// The HTTP side of `Idempotency-Key` (API.md §1, §12): reading and fingerprinting the key, and turning answers into
/// bytes and back. The keyed transaction itself belongs to the features (`Database.write(keyed:…)`).
extension APIRequest {
    /// The caller's key with a fingerprint of this request, or `nil` without the header.
    /// - Throws: `400` for a key that is not 1–255 printable ASCII characters.
    func idempotencyKey() throws -> IdempotencyKey? {
        guard let key = http.headers["Idempotency-Key"] else { return nil }
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) else {
            throw Failure.invalid("Idempotency-Key", "must be 1–255 printable ASCII characters")
        }
        return IdempotencyKey(accountID: caller.accountID, key: key, fingerprint: Self.fingerprint(self))
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
}

extension Answering {
    /// A JSON answer with `status` for a result, and the problem of API.md §1 for a domain error.
    static func json(_ status: Int = 201, _ encode: @escaping @Sendable (Value) -> JSON) -> Answering<Value> {
        Answering(
            success: { StoredAnswer(HTTPResponse.json(status, encode($0))) },
            failure: { StoredAnswer(Problem.response($0, status: Problem.status(of: $0.kind))) }
        )
    }
}

extension StoredAnswer {
    init(_ response: HTTPResponse) {
        let body: [UInt8] = if case let .bytes(bytes) = response.body { bytes } else { [] }
        self.init(status: response.status, contentType: response.headers["Content-Type"] ?? "application/json", body: body)
    }
}

extension HTTPResponse {
    /// The answer a keyed write gave; a replay says so in `Idempotent-Replayed`.
    init<Value>(_ keyed: Keyed<Value>) {
        let (answer, replayed): (StoredAnswer, Bool) = switch keyed {
        case let .done(_, answer): (answer, false)
        case let .answered(answer, replayed): (answer, replayed)
        }
        self.init(status: answer.status, body: answer.body)
        headers.set("Content-Type", answer.contentType)
        if replayed { headers.set("Idempotent-Replayed", "true") }
    }
}
