/// HMAC with SHA-256 (RFC 2104, test vectors in RFC 4231).
public enum HMACSHA256 {
    /// The SHA-256 block size in bytes (RFC 2104 §2, "B").
    private static let blockSize = 64

    /// Computes the message authentication code of `message` under `key`.
    /// - Parameters:
    ///   - key: The secret key; keys longer than 64 bytes are hashed first (RFC 2104 §2).
    ///   - message: The data to authenticate.
    /// - Returns: The 32-byte tag. Compare tags with ``ConstantTime/equals(_:_:)``, never with `==`.
    public static func authenticate(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var block = key.count > blockSize ? SHA256.hash(key) : key
        block.append(contentsOf: repeatElement(0, count: blockSize - block.count))

        var inner = [UInt8]()
        inner.reserveCapacity(blockSize + message.count)
        inner.append(contentsOf: block.lazy.map { $0 ^ 0x36 })
        inner.append(contentsOf: message)

        var outer = [UInt8]()
        outer.reserveCapacity(blockSize + SHA256.digestCount)
        outer.append(contentsOf: block.lazy.map { $0 ^ 0x5c })
        outer.append(contentsOf: SHA256.hash(inner))
        return SHA256.hash(outer)
    }
}

/// Comparisons whose running time does not depend on where the inputs differ.
public enum ConstantTime {
    /// Compares two byte strings without an early exit, so timing reveals at most their lengths.
    /// - Parameters:
    ///   - lhs: The first byte string, e.g. a computed tag.
    ///   - rhs: The second byte string, e.g. the tag a client sent.
    /// - Returns: `true` if both have the same length and the same bytes.
    public static func equals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices {
            difference |= lhs[index] ^ rhs[index]
        }
        return difference == 0
    }
}
