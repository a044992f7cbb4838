import Core
import HTTP

/// Turns errors into RFC 9457 problem details, the one place that knows HTTP statuses for domain errors.
public enum Problem {
    static func status(of kind: ErrorKind) -> Int {
        switch kind {
        case .invalid: 400
        case .unauthorized: 401
        case .paymentRequired: 402
        case .forbidden: 403
        case .notFound: 404
        case .conflict: 409
        case .unsupportedMediaType: 415
        case .unprocessable: 422
        case .rateLimited: 429
        }
    }

    static let titles: [String: String] = [
        "invalid_request": "Invalid request", "unauthenticated": "Authentication required",
        "invalid_credentials": "Invalid credentials", "insufficient_funds": "Insufficient funds",
        "forbidden": "Forbidden", "not_found": "Not found", "method_not_allowed": "Method not allowed",
        "email_taken": "Email already registered", "sku_taken": "SKU already used", "out_of_stock": "Out of stock",
        "invalid_state": "Invalid state", "idempotency_in_progress": "Request with this key is in progress",
        "daily_limit_reached": "Daily limit reached", "already_claimed": "Already claimed", "sold_out": "Sold out",
        "limit_reached": "Limit reached", "already_refunded": "Already refunded",
        "not_enough_energy": "Not enough energy", "key_taken": "Key already used",
        "unsupported_media_type": "Unsupported media type", "coupon_invalid": "Coupon cannot be used",
        "idempotency_key_reused": "Idempotency key reused with another request", "bid_too_low": "Bid too low",
        "refund_window_closed": "Refund window closed", "rate_limited": "Too many requests",
        "internal": "Internal server error", "not_implemented": "Not implemented",
    ]

    /// The problem response for any error a handler threw.
    public static func response(for error: any Error, logger: Logger) -> HTTPResponse {
        if let domain = error as? any DomainError {
            let status = status(of: domain.kind)
            logger.debug("request failed", ["code": domain.code, "status": String(status)])
            return response(domain, status: status)
        }
        // SQLiteError's description holds the code, message and SQL but never the bound arguments (STYLE.md §12).
        logger.error("unhandled error", ["error": String(describing: type(of: error)), "description": String(describing: error)])
        return make(status: 500, code: "internal", detail: "Something went wrong on our side; the request id identifies it")
    }

    static func response(_ error: any DomainError, status: Int) -> HTTPResponse {
        var members: [(String, JSON)] = [
            ("type", .string("/problems/\(error.code)")), ("title", .string(titles[error.code] ?? error.code)),
            ("status", .int(Int64(status))), ("code", .string(error.code)), ("detail", .string(error.detail)),
        ]
        if !error.fieldErrors.isEmpty {
            members.append((
                "errors",
                .array(error.fieldErrors.map { ["field": .string($0.field), "message": .string($0.message)] })
            ))
        }
        for (key, value) in error.extensions { members.append((key, .string(value))) }
        members += error.jsonExtensions
        var response = HTTPResponse(status: status, body: JSON.object(members).serialized())
        response.headers.set("Content-Type", "application/problem+json")
        if let seconds = error.retryAfter { response.headers.set("Retry-After", String(seconds)) }
        // RFC 9110 §15.5.2: a 401 names the scheme that would have worked (RFC 6750 §3 for Bearer).
        if status == 401 { response.headers.set("WWW-Authenticate", "Bearer") }
        return response
    }

    public static func make(status: Int, code: String, detail: String) -> HTTPResponse {
        HTTPResponse.problem(status: status, code: code, title: titles[code] ?? code, detail: detail)
    }
}

extension HTTPResponse {
    /// A JSON answer; `Cache-Control: no-store` because API answers are personal or change at once.
    public static func json(_ status: Int, _ value: JSON) -> HTTPResponse {
        HTTPResponse.json(status: status, value.serialized())
    }

    public static var noContent: HTTPResponse { HTTPResponse(status: 204, body: []) }
}
