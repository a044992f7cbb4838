import Core

/// The provably fair draw of API.md §8, used by the server and by `basar games verify` alike.
///
/// roll = the first 8 bytes, big-endian, of HMAC-SHA256(key = server seed bytes, message = "{client_seed}:{nonce}");
/// the prize is the first one, in file order among those in the draw, whose cumulative weight exceeds
/// roll ÷ 2^64 × total weight. Everything is integer arithmetic, so every verifier gets the same answer.
public enum FairDraw {
    /// The outcome of one draw.
    public struct Result: Sendable, Equatable {
        /// Index into the weights that were passed in.
        public var index: Int
        /// The 64-bit roll.
        public var roll: UInt64

        /// The roll as 16 lower-case hex digits.
        public var rollHex: String {
            Hex.encode((0..<8).map { UInt8(truncatingIfNeeded: roll >> (56 - 8 * UInt64($0))) })
        }

        /// roll ÷ 2^64, in [0, 1), for people (the pick itself never uses floating point).
        public var fraction: Double { Double(roll) / 18_446_744_073_709_551_616.0 }
    }

    /// The 64-bit roll of one play.
    ///
    /// - Parameters:
    ///   - serverSeed: the 32 seed bytes (the HMAC key).
    ///   - clientSeed: the client seed as sent, UTF-8 encoded.
    ///   - nonce: the play's nonce under this seed.
    /// - Returns: the first 8 bytes of the HMAC as a big-endian integer.
    public static func roll(serverSeed: [UInt8], clientSeed: String, nonce: Int64) -> UInt64 {
        let mac = HMACSHA256.authenticate(key: serverSeed, message: Array("\(clientSeed):\(nonce)".utf8))
        return mac.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    /// Picks an index from positive weights: the first `i` with roll × total < cumulative(i) × 2^64.
    ///
    /// Since the right side's low 64 bits are zero, that comparison is exactly high64(roll × total) < cumulative(i).
    /// - Parameters:
    ///   - roll: the 64-bit roll.
    ///   - weights: the weights of the prizes in the draw, in file order; each > 0, their sum < 2^63.
    /// - Returns: the picked index, or `nil` when `weights` is empty.
    public static func pick(roll: UInt64, weights: [Int64]) -> Int? {
        let total = weights.reduce(0, +)
        guard total > 0 else { return nil }
        let target = roll.multipliedFullWidth(by: UInt64(total)).high
        var cumulative: UInt64 = 0
        for (index, weight) in weights.enumerated() {
            cumulative += UInt64(weight)
            if target < cumulative { return index }
        }
        return weights.count - 1
    }

    /// Rolls and picks in one step.
    ///
    /// - Returns: the result, or `nil` when no weight is in the draw.
    public static func draw(serverSeed: [UInt8], clientSeed: String, nonce: Int64, weights: [Int64]) -> Result? {
        let value = roll(serverSeed: serverSeed, clientSeed: clientSeed, nonce: nonce)
        return pick(roll: value, weights: weights).map { Result(index: $0, roll: value) }
    }

    /// The commitment to a seed: the lower-case hex SHA-256 of its bytes.
    public static func commitment(to serverSeed: [UInt8]) -> String {
        Hex.encode(SHA256.hash(serverSeed))
    }
}
