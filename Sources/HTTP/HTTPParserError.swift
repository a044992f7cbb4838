/// Everything the request parser rejects. The server answers each with `problem` and closes the connection,
/// because after a framing error the next request's start cannot be found reliably (RFC 9112 §6.3).
public enum HTTPParserError: Error, Sendable, Equatable {
    /// The request line is not `method SP request-target SP HTTP-version` (RFC 9112 §3).
    case invalidRequestLine
    /// The request line exceeds `HTTPLimits.requestLineBytes` (RFC 9112 §3 → 414).
    case requestLineTooLong
    /// The method is not a token (RFC 9110 §9.1).
    case invalidMethod
    /// The request-target is not origin-, absolute- or asterisk-form (RFC 9112 §3.2).
    case invalidTarget
    /// The version is not `HTTP/DIGIT.DIGIT` (RFC 9112 §2.3).
    case invalidVersion
    /// A well-formed version other than 1.0 and 1.1 (→ 505).
    case unsupportedVersion
    /// A bare CR or LF, where RFC 9112 §2.2 requires CRLF.
    case invalidLineEnding
    /// A field line starting with whitespace (obs-fold, RFC 9112 §5.2).
    case obsoleteLineFolding
    /// A field name that is empty, not a token, or followed by whitespace before the colon (RFC 9112 §5.1).
    case invalidHeaderName
    /// A field value with control characters (RFC 9110 §5.5).
    case invalidHeaderValue
    /// The header section (or trailer section) exceeds `HTTPLimits.headerBytes` (→ 431).
    case headersTooLarge
    /// More than `HTTPLimits.headerCount` fields (→ 431).
    case tooManyHeaders
    /// An HTTP/1.1 request without exactly one `Host` (RFC 9112 §3.2).
    case invalidHost
    /// A `Content-Length` that is not digits, or several different ones (RFC 9112 §6.3).
    case invalidContentLength
    /// Both `Content-Length` and `Transfer-Encoding`: a smuggling vector (RFC 9112 §6.1, §11.2).
    case contentLengthWithTransferEncoding
    /// `chunked` missing as the final coding, repeated, or sent with HTTP/1.0 (RFC 9112 §6.1, §6.3).
    case invalidTransferEncoding
    /// A transfer coding other than `chunked` (RFC 9112 §6.1 → 501).
    case unsupportedTransferEncoding
    /// A chunk size that is not hex or overflows (RFC 9112 §7.1).
    case invalidChunkSize
    /// Chunk data not followed by CRLF (RFC 9112 §7.1).
    case invalidChunk
    /// The body exceeds the body limit (→ 413).
    case bodyTooLarge

    /// The status the server answers with.
    public var status: Int {
        switch self {
        case .requestLineTooLong: 414
        case .headersTooLarge, .tooManyHeaders: 431
        case .bodyTooLarge: 413
        case .unsupportedVersion: 505
        case .unsupportedTransferEncoding: 501
        default: 400
        }
    }

    /// The problem code of API.md §1.
    public var code: String {
        switch self {
        case .requestLineTooLong: "uri_too_long"
        case .headersTooLarge, .tooManyHeaders: "headers_too_large"
        case .bodyTooLarge: "payload_too_large"
        case .unsupportedVersion: "http_version_not_supported"
        case .unsupportedTransferEncoding: "not_implemented"
        default: "invalid_request"
        }
    }

    /// A sentence for the problem's `detail`.
    public var detail: String {
        switch self {
        case .invalidRequestLine: "The request line is malformed"
        case .requestLineTooLong: "The request line is too long"
        case .invalidMethod: "The method is not a valid token"
        case .invalidTarget: "The request target is malformed"
        case .invalidVersion: "The HTTP version is malformed"
        case .unsupportedVersion: "Only HTTP/1.0 and HTTP/1.1 are supported"
        case .invalidLineEnding: "Lines must end with CRLF"
        case .obsoleteLineFolding: "Obsolete line folding is not accepted"
        case .invalidHeaderName: "A header field name is malformed"
        case .invalidHeaderValue: "A header field value contains invalid characters"
        case .headersTooLarge: "The header section is too large"
        case .tooManyHeaders: "There are too many header fields"
        case .invalidHost: "An HTTP/1.1 request needs exactly one Host header"
        case .invalidContentLength: "Content-Length is invalid"
        case .contentLengthWithTransferEncoding: "Content-Length and Transfer-Encoding must not both be sent"
        case .invalidTransferEncoding: "Transfer-Encoding must end with a single chunked"
        case .unsupportedTransferEncoding: "Only the chunked transfer coding is supported"
        case .invalidChunkSize: "A chunk size is invalid"
        case .invalidChunk: "A chunk is malformed"
        case .bodyTooLarge: "The request body is too large"
        }
    }

    /// The problem's `title`.
    public var title: String { HTTPStatus.reason(status) }

    /// The problem response for this error.
    public var response: HTTPResponse {
        HTTPResponse.problem(status: status, code: code, title: title, detail: detail)
    }
}
