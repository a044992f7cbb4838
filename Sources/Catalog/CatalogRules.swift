import Core

/// The pure validation rules of API.md §12 for catalog input; no I/O.
public enum CatalogRules {
    public static let titleLength = 1...200
    public static let descriptionLength = 0...5000
    /// Upper bounds that keep every sum of an order far from `Int64` overflow.
    public static let priceRange: ClosedRange<Int64> = 1...1_000_000_000
    public static let stockRange: ClosedRange<Int64> = 0...1_000_000_000

    /// `[A-Za-z0-9._-]{1,64}`.
    public static func isValidSKU(_ sku: String) -> Bool {
        (1...64).contains(sku.utf8.count) && sku.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }

    /// A category slug: `[a-z0-9-]{1,40}`.
    public static func isValidCategory(_ slug: String) -> Bool {
        (1...40).contains(slug.utf8.count) && slug.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x61...0x7A).contains(byte) || byte == UInt8(ascii: "-")
        }
    }

    /// An absolute http(s) URL with a host, at most 2000 characters, without white space or control characters.
    /// The server never fetches it.
    public static func isValidImageURL(_ url: String) -> Bool {
        guard url.utf8.count <= 2000, url.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else { return false }
        let lower = url.lowercased()
        let rest: Substring
        if lower.hasPrefix("https://") {
            rest = lower.dropFirst(8)
        } else if lower.hasPrefix("http://") {
            rest = lower.dropFirst(7)
        } else {
            return false
        }
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostOnly = host.split(separator: "@").last?.split(separator: ":").first ?? ""
        return !hostOnly.isEmpty
    }
}
