/// Makes the opaque, prefixed ids of API.md §1 (`prd_7Hq2…`): random, so they reveal no counts.
public struct IDGenerator: Sendable {
    private let make: @Sendable (String) -> String

    public init(_ make: @escaping @Sendable (String) -> String) { self.make = make }

    /// 16 random base-62 characters (~95 bits) after the prefix.
    ///
    /// Ids are made inside write transactions, on the single writer: one `getrandom` per id, not one per character.
    /// Bytes of 248 or more are dropped so that `byte % 62` stays uniform (248 = 4 × 62).
    public static let random = IDGenerator { prefix in make(prefix, millisecond: nil) }

    /// Like ``random``, except for the records in `appended` (orders, ledger transactions, inbox items, …), which a
    /// busy shop writes many times a second: their first 7 characters are the millisecond of creation in base 62
    /// (until 2081), the other 9 random (~53 bits). The rows of one commit then land next to each other in every
    /// B-tree keyed by the id (the primary key, an order's items, a transaction's entries) instead of on one random
    /// page each: a paid checkout wrote 13.6 WAL pages with wholly random ids, 8.6 with the second as prefix, and
    /// 7.4 with the millisecond (bench/wal_pages.sh, bench/RESULTS.md). Such a record shows its creation time anyway; an id still
    /// reveals no count. Accounts and everything else stay wholly random.
    public static func timeOrdered(clock: any WallClock, appended: Set<String>) -> IDGenerator {
        IDGenerator { prefix in
            guard appended.contains(prefix) else { return make(prefix, millisecond: nil) }
            return make(prefix, millisecond: max(0, clock.now().epochMilliseconds))
        }
    }

    /// The prefixes ``timeOrdered(clock:appended:)`` orders by time in Basar.
    public static let appendedPrefixes: Set<String> = ["ord", "txn", "ntf", "rfd", "shp", "msg", "bid", "play", "cmm"]

    private static func make(_ prefix: String, millisecond: Int64?) -> String {
        var out = Array(prefix.utf8)
        out.append(UInt8(ascii: "_"))
        var made = 0
        if var millisecond {
            // Fixed width, most significant first: the alphabet is in ASCII order, so the text sorts as the number.
            var digits = [UInt8](repeating: alphabet[0], count: 7)
            for index in stride(from: 6, through: 0, by: -1) {
                digits[index] = alphabet[Int(millisecond % 62)]
                millisecond /= 62
            }
            out += digits
            made = 7
        }
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
