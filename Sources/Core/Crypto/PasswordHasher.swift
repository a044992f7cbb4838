import CCrypt
import Glibc

/// Password hashing with yescrypt through libxcrypt (`crypt(5)`), the default of current Debian and Fedora.
///
/// Hashes are self-describing strings such as `$y$j9T$<salt>$<hash>`: algorithm, cost and salt travel with the hash,
/// so the cost can be raised later without a migration.
public enum PasswordHasher {
    /// The longest passphrase libxcrypt accepts, in UTF-8 bytes (`CRYPT_MAX_PASSPHRASE_SIZE`).
    public static let maximumByteCount = 512

    /// Whether `hash(_:)` can hash `password` faithfully: at most ``maximumByteCount`` UTF-8 bytes and no NUL byte
    /// (crypt(3) takes C strings, so it would silently stop at a NUL).
    /// - Parameter password: The candidate password.
    /// - Returns: `true` if the password can be hashed and verified.
    public static func isAcceptable(_ password: String) -> Bool {
        password.utf8.count <= maximumByteCount && !password.utf8.contains(0)
    }

    /// Hashes a password with a fresh random salt at libxcrypt's default yescrypt cost.
    ///
    /// Validate with ``isAcceptable(_:)`` first. An unacceptable password is not truncated: a hash of unguessable
    /// random bytes is returned instead, which no password ever verifies against.
    /// - Parameter password: The password in clear.
    /// - Returns: A `crypt(5)` string starting with `$y$`.
    public static func hash(_ password: String) -> String {
        var setting = [CChar](repeating: 0, count: Int(CRYPT_GENSALT_OUTPUT_SIZE))
        // With no random bytes given, libxcrypt draws the salt from the OS (crypt_gensalt(3)); count 0 = default cost.
        guard crypt_gensalt_rn("$y$", 0, nil, 0, &setting, Int32(setting.count)) != nil else {
            fatalError("crypt_gensalt_rn failed with errno \(errno)")
        }
        let phrase = isAcceptable(password) ? password : Hex.encode(SecureRandom.bytes(32))
        guard let hashed = crypt(phrase, setting: setting) else {
            fatalError("crypt_rn failed with errno \(errno)")
        }
        return hashed
    }

    /// Checks a password against a stored hash in constant time.
    /// - Parameters:
    ///   - password: The password in clear, as the user typed it.
    ///   - hash: A string produced by ``hash(_:)`` (or any other `crypt(5)` string libxcrypt supports).
    /// - Returns: `true` only if the password matches; `false` for a malformed or unsupported hash.
    public static func verify(_ password: String, hash: String) -> Bool {
        guard isAcceptable(password), !hash.isEmpty else { return false }
        // Re-hashing with the stored hash as the setting reuses its algorithm, cost and salt.
        guard let candidate = crypt(password, setting: Array(hash.utf8CString)) else { return false }
        return ConstantTime.equals(Array(candidate.utf8), Array(hash.utf8))
    }

    /// Calls the reentrant `crypt_rn`, whose `struct crypt_data` (32 KiB) is heap-allocated, zeroed, and wiped after.
    private static func crypt(_ phrase: String, setting: [CChar]) -> String? {
        let size = Int(ccrypt_data_size())
        let data = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        data.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        defer {
            memset(data, 0, size)  // it held the passphrase
            data.deallocate()
        }
        // crypt_rn returns NULL on failure instead of crypt_r's "*0" failure token (crypt(3)).
        guard let output = crypt_rn(phrase, setting, data, Int32(size)) else { return nil }
        let result = String(cString: output)
        return result.hasPrefix("*") ? nil : result
    }
}
