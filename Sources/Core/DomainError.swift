/// What kind of failure a domain error is; the API edge maps it to an HTTP status.
public enum ErrorKind: Sendable, Equatable {
    case invalid            // 400
    case unauthorized       // 401
    case paymentRequired    // 402
    case forbidden          // 403
    case notFound           // 404
    case conflict           // 409
    case unsupportedMediaType  // 415
    case unprocessable      // 422
    case rateLimited        // 429
}

/// A field-level problem, `field` being a path such as `items[0].quantity`.
public struct FieldError: Sendable, Equatable {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// An error a feature raises; features never speak HTTP (STYLE.md §10).
public protocol DomainError: Error, Sendable {
    /// The stable machine-readable code of API.md §1, such as `out_of_stock`.
    var code: String { get }
    var kind: ErrorKind { get }
    /// A sentence for people; may name ids, never secrets.
    var detail: String { get }
    var fieldErrors: [FieldError] { get }
    /// Extra top-level members of the problem, such as `reason` for `coupon_invalid`.
    var extensions: [(String, String)] { get }
    /// Extra top-level members of any JSON value, such as the number `minimum_cents` of `bid_too_low`.
    var jsonExtensions: [(String, JSON)] { get }
    /// Seconds a client should wait, for `rate_limited`.
    var retryAfter: Int? { get }
}

extension DomainError {
    public var fieldErrors: [FieldError] { [] }
    public var extensions: [(String, String)] { [] }
    public var jsonExtensions: [(String, JSON)] { [] }
    public var retryAfter: Int? { nil }
}

/// A general-purpose domain error for the codes that every module shares.
public struct Failure: DomainError, Equatable {
    public var code: String
    public var kind: ErrorKind
    public var detail: String
    public var fieldErrors: [FieldError]
    public var retryAfter: Int?
    public var reason: String?

    public init(
        _ code: String, _ kind: ErrorKind, _ detail: String,
        fields: [FieldError] = [], retryAfter: Int? = nil, reason: String? = nil
    ) {
        self.code = code
        self.kind = kind
        self.detail = detail
        self.fieldErrors = fields
        self.retryAfter = retryAfter
        self.reason = reason
    }

    public var extensions: [(String, String)] { reason.map { [("reason", $0)] } ?? [] }

    public static func == (lhs: Failure, rhs: Failure) -> Bool {
        lhs.code == rhs.code && lhs.detail == rhs.detail && lhs.fieldErrors == rhs.fieldErrors
            && lhs.reason == rhs.reason
    }

    public static func invalid(_ field: String, _ message: String) -> Failure {
        Failure("invalid_request", .invalid, "\(field): \(message)", fields: [FieldError(field: field, message: message)])
    }

    public static func notFound(_ what: String) -> Failure {
        Failure("not_found", .notFound, "\(what) was not found")
    }

    public static func forbidden(_ detail: String = "You may not do this") -> Failure {
        Failure("forbidden", .forbidden, detail)
    }

    public static func invalidState(_ detail: String) -> Failure {
        Failure("invalid_state", .conflict, detail)
    }
}
