/// Makes the opaque, prefixed ids of API.md §1 (`prd_7Hq2…`): random, so they reveal no counts.
public struct IDGenerator: Sendable {
    private let make: @Sendable (String) -> String

    public init(_ make: @escaping @Sendable (String) -> String) { self.make = make }

    /// 16 random base-62 characters (~95 bits) after the prefix.
    ///
    /// Ids are made inside write transactions, on the single writer: one `getrandom` per id, not one per character.
    /// Bytes of 248 or more are dropped so that `byte % 62` stays uniform (248 = 4 × 62).
    public static let random = IDGenerator { prefix in
        var out = Array(prefix.utf8)
        out.append(UInt8(ascii: "_"))
        var made = 0
        while made < 16 {
            for byte in SecureRandom.bytes(24) where byte < 248 && made < 16 {
                out.append(alphabet[Int(byte % 62)])
                made += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// Returns a new id such as `ord_…` for the prefix `ord`.
    public func next(_ prefix: String) -> String { make(prefix) }
}
