/// Splits and decodes request-targets (RFC 9112 §3.2, RFC 3986 §2.1).
///
/// This runs on every request, so it works on the UTF-8 bytes and never goes through Foundation's string search:
/// an origin-form target (`/path?query`, almost every request) is split with one scan.
package enum RequestTarget {
    package static func split(_ target: String) -> (path: String, query: [String: String]) {
        var target = target
        return target.withUTF8 { split($0) }
    }

    static func split(_ bytes: UnsafeBufferPointer<UInt8>) -> (path: String, query: [String: String]) {
        var start = 0
        var isAbsolute = false
        // absolute-form (RFC 9112 §3.2.2): drop scheme and authority, keep the path. Origin-form starts with "/",
        // so only other targets are searched for "://" (a "://" inside an origin-form query is just data).
        if bytes.first != 0x2F, let scheme = find(bytes, "://") {
            isAbsolute = true
            start = scheme + 3
            while start < bytes.count, bytes[start] != 0x2F, bytes[start] != 0x3F { start += 1 }
        }
        var mark = start
        while mark < bytes.count, bytes[mark] != 0x3F { mark += 1 }
        let path = isAbsolute && mark == start ? "/" : percentDecode(bytes, start..<mark, plusAsSpace: false)
        guard mark < bytes.count else { return (path, [:]) }
        var query: [String: String] = [:]
        var pair = mark + 1
        while pair < bytes.count {
            var end = pair
            var equals = -1
            while end < bytes.count, bytes[end] != 0x26 {
                if equals < 0, bytes[end] == 0x3D { equals = end }
                end += 1
            }
            if end > pair {  // empty pairs (`a=1&&b=2`) are skipped
                let name = percentDecode(bytes, pair..<(equals < 0 ? end : equals), plusAsSpace: true)
                if query[name] == nil {
                    query[name] = equals < 0 ? "" : percentDecode(bytes, (equals + 1)..<end, plusAsSpace: true)
                }
            }
            pair = end + 1
        }
        return (path, query)
    }

    /// The offset of the first occurrence of `needle` (ASCII) in `bytes`.
    static func find(_ bytes: UnsafeBufferPointer<UInt8>, _ needle: StaticString) -> Int? {
        let count = needle.utf8CodeUnitCount
        guard bytes.count >= count else { return nil }
        let wanted = needle.utf8Start
        var index = 0
        while index <= bytes.count - count {
            var matched = 0
            while matched < count, bytes[index + matched] == wanted[matched] { matched += 1 }
            if matched == count { return index }
            index += 1
        }
        return nil
    }

    /// Decodes `%XX` escapes in `bytes[range]`; an invalid escape is kept literally and invalid UTF-8 is repaired.
    /// `%00` is kept literally too: no path or parameter needs U+0000, and PostgreSQL's text cannot hold it (libpq
    /// would cut an id or a search there, so `/v1/products/prd_X%00junk` could have found `prd_X`).
    static func percentDecode(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, plusAsSpace: Bool) -> String {
        var needsDecoding = false
        for index in range where bytes[index] == 0x25 || (plusAsSpace && bytes[index] == 0x2B) {
            needsDecoding = true
            break
        }
        guard needsDecoding else { return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var i = range.lowerBound
        while i < range.upperBound {
            let byte = bytes[i]
            if byte == 0x25, i + 2 < range.upperBound, let hi = hexValue(bytes[i + 1]), let lo = hexValue(bytes[i + 2]),
               hi | lo != 0
            {
                out.append(hi << 4 | lo)
                i += 3
                continue
            }
            out.append(plusAsSpace && byte == 0x2B ? 0x20 : byte)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
