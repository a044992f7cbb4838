/// FNV-1a, 32 bits (API.md §17, §21): the one hash for holdouts and experiment buckets, so anyone can recompute an
/// assignment outside Basar. Start at 2166136261; for each UTF-8 byte xor it in, then multiply by 16777619 mod 2^32.
public enum FNV1a {
    public static let offsetBasis: UInt32 = 2_166_136_261
    public static let prime: UInt32 = 16_777_619

    /// - Parameter text: hashed as its UTF-8 bytes.
    /// - Returns: the 32-bit hash.
    public static func hash32(_ text: String) -> UInt32 {
        var hash = offsetBasis
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* prime
        }
        return hash
    }
}
