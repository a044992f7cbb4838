/// A tiny command-line parser: `--name value` options, `--flag` switches and positional words, in any order.
struct Arguments {
    private(set) var positional: [String] = []
    private var options: [String: String] = [:]
    private var flags: Set<String> = []
    private var consumed: Set<String> = []

    /// - Parameter flagNames: options that take no value (`--json`, `--demo`, `--help`).
    init(_ raw: [String], flagNames: Set<String>) throws(UsageError) {
        var i = 0
        while i < raw.count {
            let word = raw[i]
            if word.hasPrefix("--") {
                var name = String(word.dropFirst(2))
                var value: String?
                if let eq = name.firstIndex(of: "=") {
                    value = String(name[name.index(after: eq)...])
                    name = String(name[..<eq])
                }
                if flagNames.contains(name) {
                    flags.insert(name)
                } else {
                    if value == nil {
                        guard i + 1 < raw.count else { throw UsageError("--\(name) needs a value") }
                        i += 1
                        value = raw[i]
                    }
                    guard options[name] == nil else { throw UsageError("--\(name) is given twice") }
                    options[name] = value
                }
            } else if word == "-h" {
                flags.insert("help")
            } else {
                positional.append(word)
            }
            i += 1
        }
    }

    func flag(_ name: String) -> Bool { flags.contains(name) }

    mutating func option(_ name: String) -> String? {
        consumed.insert(name)
        return options[name]
    }

    mutating func required(_ name: String) throws(UsageError) -> String {
        guard let value = option(name) else { throw UsageError("--\(name) is required") }
        return value
    }

    mutating func integer(_ name: String, _ range: ClosedRange<Int64>) throws(UsageError) -> Int64? {
        guard let text = option(name) else { return nil }
        guard let value = Int64(text), range.contains(value) else {
            throw UsageError("--\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
        }
        return value
    }

    /// Fails on options nobody asked for, so a typo is never silently ignored.
    func rejectUnknown(allowing extra: Set<String> = []) throws(UsageError) {
        if let unknown = options.keys.sorted().first(where: { !consumed.contains($0) && !extra.contains($0) }) {
            throw UsageError("unknown option --\(unknown)")
        }
    }
}

/// Bad usage or a bad value: exit 64 (EX_USAGE).
struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// A named object that does not exist: exit 65 (EX_DATAERR).
struct MissingError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
