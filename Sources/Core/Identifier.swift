/// Makes the opaque, prefixed ids of API.md §1 (`prd_7Hq2…`): random, so they reveal no counts.
public struct IDGenerator: Sendable {
    private let make: @Sendable (String) -> String

    public init(_ make: @escaping @Sendable (String) -> String) { self.make = make }

    /// 16 random base-62 characters (~95 bits) after the prefix.
    public static let random = IDGenerator { prefix in
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
        var out = Array(prefix.utf8)
        out.append(UInt8(ascii: "_"))
        for _ in 0..<16 { out.append(alphabet[SecureRandom.uniform(alphabet.count)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Returns a new id such as `ord_…` for the prefix `ord`.
    public func next(_ prefix: String) -> String { make(prefix) }
}
