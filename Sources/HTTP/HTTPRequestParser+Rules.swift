/// Byte classes of RFC 9110 §5.6.2.
enum ByteClass {
    /// `tchar`: the characters of a token.
    static func isToken(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: true
        default: false
        }
    }

    /// `field-vchar`, SP or HTAB (RFC 9110 §5.5); obs-text is allowed.
    static func isFieldValue(_ byte: UInt8) -> Bool {
        byte == 0x09 || (byte >= 0x20 && byte != 0x7F)
    }
}

/// `request-line = method SP request-target SP HTTP-version` (RFC 9112 §3).
enum RequestLineParser {
    static func parse(_ line: ArraySlice<UInt8>) throws(HTTPParserError) -> HTTPRequestParser.RequestLine {
        // Exactly single SPs: RFC 9112 §3 allows lenient whitespace, but strictness removes ambiguity.
        guard let firstSpace = line.firstIndex(of: 0x20),
            let secondSpace = line[(firstSpace + 1)...].firstIndex(of: 0x20),
            !line[(secondSpace + 1)...].contains(0x20)
        else { throw .invalidRequestLine }
        let methodBytes = line[line.startIndex..<firstSpace]
        let targetBytes = line[(firstSpace + 1)..<secondSpace]
        guard !methodBytes.isEmpty, methodBytes.allSatisfy(ByteClass.isToken) else { throw .invalidMethod }
        let version = try parseVersion(line[(secondSpace + 1)...])
        let method = knownMethod(methodBytes) ?? HTTPMethod(String(decoding: methodBytes, as: UTF8.self))
        guard !targetBytes.isEmpty, targetBytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw .invalidTarget }
        // RFC 9112 §3.2: origin-form, absolute-form, or asterisk-form for OPTIONS. authority-form (CONNECT) is
        // not served.
        let first = targetBytes[targetBytes.startIndex]
        let isOrigin = first == 0x2F
        let isAbsolute = !isOrigin && (hasPrefix(targetBytes, "http://") || hasPrefix(targetBytes, "https://"))
        let isAsterisk = targetBytes.count == 1 && first == 0x2A && method == .OPTIONS
        guard isOrigin || isAbsolute || isAsterisk else { throw .invalidTarget }
        return .init(method: method, target: String(decoding: targetBytes, as: UTF8.self), version: version)
    }

    /// The shared instance for the common methods, so no string is built for them.
    static func knownMethod(_ bytes: ArraySlice<UInt8>) -> HTTPMethod? {
        let b = bytes.startIndex
        switch bytes.count {
        case 3 where bytes[b] == 0x47 && bytes[b + 1] == 0x45 && bytes[b + 2] == 0x54: return .GET
        case 3 where bytes[b] == 0x50 && bytes[b + 1] == 0x55 && bytes[b + 2] == 0x54: return .PUT
        case 4 where bytes.elementsEqual("POST".utf8): return .POST
        case 4 where bytes.elementsEqual("HEAD".utf8): return .HEAD
        case 5 where bytes.elementsEqual("PATCH".utf8): return .PATCH
        case 6 where bytes.elementsEqual("DELETE".utf8): return .DELETE
        case 7 where bytes.elementsEqual("OPTIONS".utf8): return .OPTIONS
        default: return nil
        }
    }

    /// ASCII case-insensitive prefix test; `prefix` is lowercase.
    static func hasPrefix(_ bytes: ArraySlice<UInt8>, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard bytes.count >= count else { return false }
        let wanted = prefix.utf8Start
        for offset in 0..<count where HTTPHeaders.lower(bytes[bytes.startIndex + offset]) != wanted[offset] {
            return false
        }
        return true
    }

    /// `HTTP-version = "HTTP" "/" DIGIT "." DIGIT`, case-sensitive (RFC 9112 §2.3).
    static func parseVersion(_ bytes: ArraySlice<UInt8>) throws(HTTPParserError) -> HTTPVersion {
        let s = bytes.startIndex
        guard bytes.count == 8, bytes[s] == 0x48, bytes[s + 1] == 0x54, bytes[s + 2] == 0x54, bytes[s + 3] == 0x50,
            bytes[s + 4] == 0x2F, bytes[s + 6] == 0x2E, (0x30...0x39).contains(bytes[s + 5]),
            (0x30...0x39).contains(bytes[s + 7])
        else { throw .invalidVersion }
        let major = bytes[s + 5] - 0x30, minor = bytes[s + 7] - 0x30
        guard major == 1, minor <= 1 else { throw .unsupportedVersion }
        return minor == 1 ? .http1_1 : .http1_0
    }
}

/// `field-line = field-name ":" OWS field-value OWS` (RFC 9112 §5).
enum FieldLineParser {
    static func parse(_ line: ArraySlice<UInt8>) throws(HTTPParserError) -> HTTPHeaders.Element {
        guard let first = line.first else { throw .invalidHeaderName }
        // RFC 9112 §5.2: obs-fold; a server MUST reject it (or replace it) — we reject.
        if first == 0x20 || first == 0x09 { throw .obsoleteLineFolding }
        guard let colon = line.firstIndex(of: 0x3A) else { throw .invalidHeaderName }
        let name = line[line.startIndex..<colon]
        // RFC 9112 §5.1: whitespace between name and colon MUST be rejected with 400; it is not a tchar.
        guard !name.isEmpty, name.allSatisfy(ByteClass.isToken) else { throw .invalidHeaderName }
        var value = line[(colon + 1)...]
        while let b = value.first, b == 0x20 || b == 0x09 { value.removeFirst() }
        while let b = value.last, b == 0x20 || b == 0x09 { value.removeLast() }
        guard value.allSatisfy(ByteClass.isFieldValue) else { throw .invalidHeaderValue }
        return (name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self))
    }
}

/// Message framing of RFC 9112 §6 applied to a complete header section.
enum FramingRules {
    static func head(
        _ line: HTTPRequestParser.RequestLine, fields headers: HTTPHeaders
    ) throws(HTTPParserError) -> HTTPRequestHead {
        // One pass that only remembers the framing fields: most requests have none of them but Host.
        var hostCount = 0
        var lengths: [String] = []
        var codings: [String] = []
        var mayExpect = false
        for (name, value) in headers {
            switch name.utf8.count {
            case 4 where HTTPHeaders.equal(name, "Host"): hostCount += 1
            case 6 where HTTPHeaders.equal(name, "Expect"): mayExpect = true
            case 14 where HTTPHeaders.equal(name, "Content-Length"): lengths.append(value)
            case 17 where HTTPHeaders.equal(name, "Transfer-Encoding"): codings.append(value)
            default: break
            }
        }
        // RFC 9112 §3.2: an HTTP/1.1 request without Host, or any request with several, gets 400.
        if hostCount > 1 || (line.version == .http1_1 && hostCount == 0) { throw .invalidHost }

        let contentLength = try parseContentLength(lengths)
        var isChunked = false
        if !codings.isEmpty {
            // RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 means faulty framing; with Content-Length it is the
            // classic smuggling vector, so both are refused outright and the connection closed.
            if line.version == .http1_0 { throw .invalidTransferEncoding }
            if contentLength != nil { throw .contentLengthWithTransferEncoding }
            let list = codings.flatMap { $0.split(separator: ",") }.map { $0.trimmingSpaces().lowercased() }
                .filter { !$0.isEmpty }
            // RFC 9112 §6.3 item 4: chunked must be the final coding (and applied once, §7), else 400.
            guard list.last == "chunked", list.filter({ $0 == "chunked" }).count == 1 else {
                throw .invalidTransferEncoding
            }
            // RFC 9112 §6.1: other codings are not understood → 501.
            if list.count > 1 { throw .unsupportedTransferEncoding }
            isChunked = true
        }
        let expects = mayExpect && headers.listContains("Expect", token: "100-continue")
        return HTTPRequestHead(
            method: line.method, target: line.target, version: line.version, headers: headers,
            contentLength: contentLength, isChunked: isChunked,
            expectsContinue: expects && line.version == .http1_1
        )
    }

    /// RFC 9112 §6.3 item 5 and RFC 9110 §8.6: digits only; a list of identical values is accepted.
    static func parseContentLength(_ values: [String]) throws(HTTPParserError) -> Int? {
        guard !values.isEmpty else { return nil }
        var result: Int?
        for element in values.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: false) }) {
            let digits = element.trimmingSpaces()
            guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                throw .invalidContentLength
            }
            // Anything beyond 18 digits is far over any limit; saturate instead of overflowing.
            let trimmed = digits.drop { $0 == "0" }
            let value = trimmed.count > 18 ? Int.max : (Int(trimmed) ?? 0)
            if let result, result != value { throw .invalidContentLength }
            result = value
        }
        return result
    }
}

/// `chunk-size [ chunk-ext ]` (RFC 9112 §7.1); extensions are ignored (§7.1.1).
enum ChunkSizeParser {
    static func parse(_ line: ArraySlice<UInt8>) throws(HTTPParserError) -> Int {
        var size = 0
        var digits = 0
        var index = line.startIndex
        while index < line.endIndex, let value = RequestTarget.hexValue(line[index]) {
            guard size <= (Int.max >> 4) else { throw .invalidChunkSize }
            size = size << 4 | Int(value)
            digits += 1
            index += 1
        }
        guard digits > 0 else { throw .invalidChunkSize }
        let rest = line[index...]
        // BWS before `;` is tolerated (RFC 9112 §7.1.1); anything else after the digits is not.
        let afterSpace = rest.drop { $0 == 0x20 || $0 == 0x09 }
        guard afterSpace.isEmpty || afterSpace.first == 0x3B else { throw .invalidChunkSize }
        guard afterSpace.allSatisfy(ByteClass.isFieldValue) else { throw .invalidChunkSize }
        return size
    }
}
