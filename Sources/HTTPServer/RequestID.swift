import HTTP

/// Request ids: a client's `X-Request-Id` if it is 1–64 of `[A-Za-z0-9._-]`, else 16 hex digits.
enum RequestID {
    /// Generated ids come from SplitMix64 seeded from the system generator once per connection: ids only need
    /// to be unique in logs, not unguessable, and this saves a `getrandom` call per request.
    struct Generator {
        private var state: UInt64

        init() { state = UInt64.random(in: .min ... .max) }

        mutating func make(from headers: HTTPHeaders?) -> String {
            if let sent = headers?["X-Request-Id"], RequestID.isValid(sent) { return sent }
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return RequestID.hex(z ^ (z >> 31))
        }
    }

    /// 16 lowercase hex digits, zero-padded.
    static func hex(_ value: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { buffer in
            for index in 0..<16 {
                let nibble = UInt8(truncatingIfNeeded: value >> UInt64(60 - 4 * index)) & 0xF
                buffer[index] = nibble < 10 ? 0x30 + nibble : 0x57 + nibble
            }
            return 16
        }
    }

    static func isValid(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count) && id.utf8.allSatisfy { byte in
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2E, 0x5F, 0x2D: true
            default: false
            }
        }
    }
}
