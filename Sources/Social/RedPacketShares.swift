import Core

/// The split of a red packet (API.md §20), a pure rule anyone can recompute once the seed is revealed: with R cents
/// and k shares left, for k ≥ 2 a share is 1 + ⌊u × (⌊2R/k⌋ − 1)⌋, where u is the first 8 bytes of
/// HMAC-SHA256(key = seed, message = the share's index in decimal) read big-endian and divided by 2^64; the last share
/// is what remains. Every share is at least 1 cent and the shares add up to the total exactly.
public enum RedPacketShares {
    public static func split(total: Int64, count: Int, seed: [UInt8]) -> [Int64] {
        var remaining = total
        var shares: [Int64] = []
        for index in 0..<count {
            let left = Int64(count - index)
            guard left >= 2 else {
                shares.append(remaining)
                break
            }
            let mac = HMACSHA256.authenticate(key: seed, message: Array(String(index).utf8))
            let u = mac.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let range = UInt64(2 * remaining / left - 1)
            // ⌊u/2^64 × range⌋ exactly: the high word of the 128-bit product, no floating point.
            let share = 1 + Int64(range.multipliedFullWidth(by: u).high)
            shares.append(share)
            remaining -= share
        }
        return shares
    }
}
