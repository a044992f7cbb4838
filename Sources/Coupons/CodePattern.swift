import Core

/// A code pattern such as `SD-####-????` (API.md §12): `#` is a random digit 2–9, `?` a random upper-case letter
/// other than I, L and O, anything else is literal. The alphabets leave out 0/O and 1/I/L so codes read aloud or
/// typed from paper are never ambiguous.
public struct CodePattern: Sendable, Equatable {
    public static let defaultPattern = "????-####-????"
    public static let digits: [UInt8] = Array("23456789".utf8)
    public static let letters: [UInt8] = Array("ABCDEFGHJKMNPQRSTUVWXYZ".utf8)
    /// A pattern must offer this many times more codes than will exist, so a random code is hard to guess and a
    /// fresh draw rarely collides.
    public static let safetyFactor: Double = 1000
    public static let maxLength = 64

    /// The pattern with literal letters upper-cased: codes are stored upper-case because claims ignore case.
    public let text: String
    private let bytes: [UInt8]

    /// How many distinct codes the pattern can make.
    public var space: Double {
        bytes.reduce(1.0) { total, byte in
            switch byte {
            case UInt8(ascii: "#"): total * Double(Self.digits.count)
            case UInt8(ascii: "?"): total * Double(Self.letters.count)
            default: total
            }
        }
    }

    /// Parses a pattern; `nil` means the default.
    ///
    /// - Throws: `400 invalid_request` naming `pattern` for an empty or too long pattern or a character other than
    ///   `#`, `?`, letters, digits, `-`, `_` and `.` (which keep codes safe in URLs and CSV files).
    public init(_ pattern: String?) throws {
        let raw = pattern ?? Self.defaultPattern
        guard (1...Self.maxLength).contains(raw.utf8.count) else {
            throw Failure.invalid("pattern", "must be 1–\(Self.maxLength) characters")
        }
        var normalized: [UInt8] = []
        for byte in raw.utf8 {
            switch byte {
            case UInt8(ascii: "#"), UInt8(ascii: "?"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                 0x30...0x39, 0x41...0x5A:
                normalized.append(byte)
            case 0x61...0x7A:
                normalized.append(byte - 0x20)
            default:
                throw Failure.invalid("pattern", "may hold only '#', '?', letters, digits, '-', '_' and '.'")
            }
        }
        bytes = normalized
        text = String(decoding: normalized, as: UTF8.self)
    }

    /// Checks that the pattern has room for `existing + count` codes with a wide margin.
    ///
    /// - Throws: `400 invalid_request` naming `pattern`.
    public func checkRoom(existing: Int64, count: Int64) throws {
        let needed = Double(existing + count) * Self.safetyFactor
        guard space >= needed else {
            throw Failure.invalid(
                "pattern",
                "\(text) has room for \(Self.describe(space)) codes, too few for \(existing + count) "
                    + "(a pattern needs \(Int(Self.safetyFactor))× as many as will exist); add more '#' or '?'"
            )
        }
    }

    private static func describe(_ space: Double) -> String {
        space < 1e15 ? String(Int64(space)) : String(space)
    }

    /// Draws random codes from a cryptographic source, a buffer of bytes at a time.
    public struct Generator {
        private let pattern: [UInt8]
        private var pool: [UInt8] = []
        private var index = 0

        public init(_ pattern: CodePattern) { self.pattern = pattern.bytes }

        /// One fresh random code.
        public mutating func next() -> String {
            var out = pattern
            for i in out.indices {
                switch out[i] {
                // 256 is a multiple of 8: the low three bits are uniform.
                case UInt8(ascii: "#"): out[i] = CodePattern.digits[Int(nextByte() & 7)]
                case UInt8(ascii: "?"): out[i] = CodePattern.letters[letterIndex()]
                default: break
                }
            }
            return String(decoding: out, as: UTF8.self)
        }

        /// Rejection sampling: bytes ≥ 253 (= 11 × 23) are dropped so that each letter is equally likely.
        private mutating func letterIndex() -> Int {
            let limit = UInt8(CodePattern.letters.count * (256 / CodePattern.letters.count))
            while true {
                let byte = nextByte()
                if byte < limit { return Int(byte) % CodePattern.letters.count }
            }
        }

        private mutating func nextByte() -> UInt8 {
            if index == pool.count {
                pool = SecureRandom.bytes(4096)
                index = 0
            }
            defer { index += 1 }
            return pool[index]
        }
    }
}
