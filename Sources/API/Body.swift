import Core

/// Typed, path-aware reads from a JSON object; every failure names its field (`items[0].quantity`).
public struct Body: Sendable {
    public let value: JSON
    let path: String

    init(_ value: JSON, path: String) {
        self.value = value
        self.path = path
    }

    func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    public func has(_ key: String) -> Bool { value[key] != nil }

    /// Whether the key is present with the value `null` (a PATCH that clears a field).
    public func isNull(_ key: String) -> Bool { value[key]?.isNull ?? false }

    private func invalid(_ key: String, _ message: String) -> Failure { Failure.invalid(field(key), message) }

    public func optionalString(_ key: String) throws -> String? {
        guard let v = value[key], !v.isNull else { return nil }
        guard let s = v.stringValue else { throw invalid(key, "must be a string") }
        // PostgreSQL's text cannot hold U+0000 (libpq would cut the value there), so no engine accepts it.
        guard !s.unicodeScalars.contains("\u{0}") else { throw invalid(key, "must not contain the character U+0000") }
        return s
    }

    public func string(_ key: String) throws -> String {
        guard let s = try optionalString(key) else { throw invalid(key, "is required") }
        return s
    }

    /// A string trimmed of surrounding white space whose length in code points lies in `range`.
    public func text(_ key: String, _ range: ClosedRange<Int>) throws -> String {
        let s = try string(key).trimmedWhitespace
        guard range.contains(s.codePointCount) else {
            throw invalid(key, "must be \(range.lowerBound)–\(range.upperBound) characters")
        }
        return s
    }

    public func optionalText(_ key: String, _ range: ClosedRange<Int>) throws -> String? {
        guard has(key), !(value[key]?.isNull ?? true) else { return nil }
        return try text(key, range)
    }

    public func optionalInt(_ key: String, _ range: ClosedRange<Int64>? = nil) throws -> Int64? {
        guard let v = value[key], !v.isNull else { return nil }
        let number: Int64
        switch v {
        case let .int(i): number = i
        case let .double(d) where d == d.rounded() && abs(d) < 9e15: number = Int64(d)
        default: throw invalid(key, "must be an integer")
        }
        if let range, !range.contains(number) {
            throw invalid(key, "must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return number
    }

    public func int(_ key: String, _ range: ClosedRange<Int64>? = nil) throws -> Int64 {
        guard let i = try optionalInt(key, range) else { throw invalid(key, "is required") }
        return i
    }

    public func optionalBool(_ key: String) throws -> Bool? {
        guard let v = value[key], !v.isNull else { return nil }
        guard let b = v.boolValue else { throw invalid(key, "must be true or false") }
        return b
    }

    /// A nested object that may hold only `allowed` keys.
    public func object(_ key: String, allowed: Set<String>) throws -> Body {
        guard let v = value[key], case let .object(members) = v else { throw invalid(key, "must be an object") }
        if let unknown = members.map(\.0).first(where: { !allowed.contains($0) }) {
            throw Failure.invalid(field(key) + "." + unknown, "is not accepted here")
        }
        return Body(v, path: field(key))
    }

    /// The elements of an array of objects, each limited to `allowed` keys.
    public func objects(_ key: String, allowed: Set<String>, count: ClosedRange<Int>) throws -> [Body] {
        guard let v = value[key], let items = v.arrayValue else { throw invalid(key, "must be an array") }
        guard count.contains(items.count) else {
            throw invalid(key, "must have \(count.lowerBound)–\(count.upperBound) entries")
        }
        return try items.enumerated().map { index, item in
            let itemPath = "\(field(key))[\(index)]"
            guard case let .object(members) = item else { throw Failure.invalid(itemPath, "must be an object") }
            if let unknown = members.map(\.0).first(where: { !allowed.contains($0) }) {
                throw Failure.invalid("\(itemPath).\(unknown)", "is not accepted here")
            }
            return Body(item, path: itemPath)
        }
    }

    /// A string that must be one of `choices`.
    public func choice(_ key: String, _ choices: [String]) throws -> String {
        let s = try string(key)
        guard choices.contains(s) else { throw invalid(key, "must be one of \(choices.joined(separator: ", "))") }
        return s
    }
}
