import Core

/// Pure validation rules of API.md §12 "Accounts".
public enum AccountRules {
    /// Returns the lower-cased email, or nil when it breaks the rules: one `@`, a non-empty local part, a domain
    /// with a dot, at most 254 characters.
    public static func normalizedEmail(_ raw: String) -> String? {
        let email = raw.trimmedWhitespace.lowercased()
        guard email.codePointCount <= 254 else { return nil }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else { return nil }
        let domain = parts[1]
        guard domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains("..") else {
            return nil
        }
        guard !email.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 }) else {
            return nil
        }
        return email
    }

    /// Passwords are taken as sent (no trimming), 10–200 code points.
    public static func isValidPassword(_ password: String) -> Bool {
        (10...200).contains(password.codePointCount)
    }

    public static func displayName(_ raw: String) -> String? {
        let name = raw.trimmedWhitespace
        return (1...60).contains(name.codePointCount) ? name : nil
    }
}
