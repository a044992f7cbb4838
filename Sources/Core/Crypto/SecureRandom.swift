import CCrypt
import Glibc

/// Cryptographically secure random values from the kernel's CSPRNG via `getrandom(2)`.
public enum SecureRandom {
    /// Returns `count` random bytes, for tokens, salts and keys.
    ///
    /// `getrandom(2)` blocks only until the pool is first initialised at boot; it may return fewer bytes than asked
    /// (or fail with `EINTR`) when interrupted by a signal, so it is called until the buffer is full.
    /// - Parameter count: The number of bytes, zero or more.
    /// - Returns: The random bytes.
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0, "SecureRandom.bytes: negative count")
        var output = [UInt8](repeating: 0, count: count)
        output.withUnsafeMutableBytes { buffer in
            var filled = 0
            while filled < buffer.count {
                let result = getrandom(buffer.baseAddress! + filled, buffer.count - filled, 0)
                if result > 0 {
                    filled += result
                } else if result < 0 && errno == EINTR {
                    continue
                } else {
                    // ENOSYS (pre-3.17 kernel) or EFAULT: no safe fallback, so fail loudly rather than weakly.
                    fatalError("getrandom(2) failed with errno \(errno)")
                }
            }
        }
        return output
    }

    /// Returns a uniformly distributed integer in `0..<upperBound`, without modulo bias.
    ///
    /// Draws 64-bit values and rejects those below `2^64 mod upperBound`, so each remainder is equally likely.
    /// - Parameter upperBound: The exclusive upper bound; must be positive.
    /// - Returns: A value in `0..<upperBound`.
    public static func uniform(_ upperBound: Int) -> Int {
        precondition(upperBound > 0, "SecureRandom.uniform: upperBound must be positive")
        let bound = UInt64(upperBound)
        let threshold = (0 &- bound) % bound  // (2^64 - bound) mod bound == 2^64 mod bound
        while true {
            let value = bytes(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            if value >= threshold {
                return Int(value % bound)
            }
        }
    }
}
