import Core
import Testing

@Suite("SHA-256 (FIPS 180-4 / NIST CSRC examples)")
struct SHA256Tests {
    @Test("NIST vectors", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
    ])
    func vector(message: String, digest: String) {
        #expect(Hex.encode(SHA256.hash(Array(message.utf8))) == digest)
    }

    @Test("one million 'a'")
    func millionA() {
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(Hex.encode(SHA256.hash(message)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("non-contiguous sequences hash like arrays, across padding boundaries")
    func nonContiguous() {
        for count in [0, 1, 55, 56, 63, 64, 65, 119, 120, 128] {
            let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            #expect(SHA256.hash(bytes.lazy.map { $0 }) == SHA256.hash(bytes))
            #expect(SHA256.hash(bytes).count == 32)
        }
    }
}

@Suite("HMAC-SHA256 (RFC 4231)")
struct HMACSHA256Tests {
    struct Case: Sendable, CustomTestStringConvertible {
        let number: Int
        let key: [UInt8]
        let data: [UInt8]
        let mac: String
        var testDescription: String { "RFC 4231 test case \(number)" }
    }

    static let cases: [Case] = [
        Case(
            number: 1, key: [UInt8](repeating: 0x0b, count: 20), data: Array("Hi There".utf8),
            mac: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        ),
        Case(
            number: 2, key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8),
            mac: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        ),
        Case(
            number: 3, key: [UInt8](repeating: 0xaa, count: 20), data: [UInt8](repeating: 0xdd, count: 50),
            mac: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
        ),
        Case(
            number: 4, key: Array(1...25), data: [UInt8](repeating: 0xcd, count: 50),
            mac: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
        ),
        // Case 5 is truncated to 128 bits in the RFC.
        Case(
            number: 5, key: [UInt8](repeating: 0x0c, count: 20), data: Array("Test With Truncation".utf8),
            mac: "a3b6167473100ee06e0c796c2955552b"
        ),
        Case(
            number: 6, key: [UInt8](repeating: 0xaa, count: 131),
            data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            mac: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        ),
        Case(
            number: 7, key: [UInt8](repeating: 0xaa, count: 131),
            data: Array(
                "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."
                    .utf8
            ),
            mac: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
        ),
    ]

    @Test("RFC 4231 test cases 1–7", arguments: cases)
    func vector(_ testCase: Case) {
        let tag = HMACSHA256.authenticate(key: testCase.key, message: testCase.data)
        #expect(tag.count == 32)
        #expect(Hex.encode(tag.prefix(testCase.mac.count / 2)) == testCase.mac)
    }

    @Test("constant-time comparison")
    func constantTime() {
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(ConstantTime.equals([], []))
    }
}

@Suite("Hex")
struct HexTests {
    @Test("round-trips every byte value")
    func roundTrip() {
        let bytes = (0...255).map { UInt8($0) }
        let text = Hex.encode(bytes)
        #expect(text.count == 512)
        #expect(text == text.lowercased())
        #expect(Hex.decode(text) == bytes)
        #expect(Hex.decode(text.uppercased()) == bytes)
        #expect(Hex.encode([]) == "")
        #expect(Hex.decode("") == [])
        #expect(Hex.encode([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
    }

    @Test("rejects malformed input", arguments: ["0", "abc", "zz", "0x00", "a ", "é1"])
    func malformed(_ text: String) {
        #expect(Hex.decode(text) == nil)
    }
}

@Suite("SecureRandom")
struct SecureRandomTests {
    @Test("32-byte values are distinct")
    func distinct() {
        let values = (0..<100).map { _ in SecureRandom.bytes(32) }
        #expect(values.allSatisfy { $0.count == 32 })
        #expect(Set(values).count == values.count)
        #expect(SecureRandom.bytes(0).isEmpty)
    }

    @Test("uniform stays in range and reaches every value")
    func uniform() {
        var seen = Set<Int>()
        for _ in 0..<2_000 {
            let value = SecureRandom.uniform(10)
            #expect((0..<10).contains(value))
            seen.insert(value)
        }
        #expect(seen.count == 10)
        #expect(SecureRandom.uniform(1) == 0)
        #expect((0..<Int.max).contains(SecureRandom.uniform(Int.max)))
    }
}

@Suite("PasswordHasher (yescrypt)")
struct PasswordHasherTests {
    @Test("hash and verify")
    func hashAndVerify() {
        let hash = PasswordHasher.hash("correct horse battery staple")
        #expect(hash.hasPrefix("$y$"))
        #expect(PasswordHasher.verify("correct horse battery staple", hash: hash))
        #expect(!PasswordHasher.verify("correct horse battery stapler", hash: hash))
        #expect(!PasswordHasher.verify("", hash: hash))
    }

    @Test("two hashes of one password differ (fresh salt)")
    func salted() {
        let first = PasswordHasher.hash("hunter2")
        let second = PasswordHasher.hash("hunter2")
        #expect(first != second)
        #expect(PasswordHasher.verify("hunter2", hash: first))
        #expect(PasswordHasher.verify("hunter2", hash: second))
    }

    @Test("malformed hashes and unacceptable passwords never verify")
    func malformed() {
        #expect(!PasswordHasher.verify("x", hash: ""))
        #expect(!PasswordHasher.verify("x", hash: "*"))
        #expect(!PasswordHasher.verify("x", hash: "$y$garbage"))
        #expect(!PasswordHasher.isAcceptable("a\u{0}b"))
        #expect(!PasswordHasher.isAcceptable(String(repeating: "a", count: 513)))
        let locked = PasswordHasher.hash("a\u{0}b")
        #expect(locked.hasPrefix("$y$"))
        #expect(!PasswordHasher.verify("a", hash: locked))
        #expect(!PasswordHasher.verify("a\u{0}b", hash: locked))
    }
}
