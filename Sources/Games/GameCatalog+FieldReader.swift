import Core

/// Typed reads from one object of a game file; every error names the file and the field path (`prizes[1].weight`).
struct FieldReader {
    let json: JSON
    let path: String
    let file: String

    func field(_ key: String) -> String { path.isEmpty ? key : key.isEmpty ? path : "\(path).\(key)" }

    func error(_ key: String, _ message: String) -> GameContentError {
        GameContentError(file: file, field: field(key), message: message)
    }

    func has(_ key: String) -> Bool { json[key] != nil }

    func rejectUnknown(allowed: Set<String>) throws {
        guard case let .object(members) = json else { return }
        if let unknown = members.map(\.0).first(where: { !allowed.contains($0) }) {
            throw error(unknown, "is not a field of this kind of game")
        }
    }

    func value(_ key: String) throws -> JSON {
        guard let value = json[key] else { throw error(key, "is required") }
        return value
    }

    func string(_ key: String) throws -> String {
        guard let text = try value(key).stringValue else { throw error(key, "must be a string") }
        return text
    }

    func optionalString(_ key: String) throws -> String? {
        let value = try value(key)
        if value.isNull { return nil }
        guard let text = value.stringValue else { throw error(key, "must be a string or null") }
        return text
    }

    func int(_ key: String, _ range: ClosedRange<Int64>) throws -> Int64 {
        try Self.integer(try value(key), range) ?? { throw error(key, Self.rangeMessage(range)) }()
    }

    func object(_ key: String) throws -> FieldReader {
        let value = try value(key)
        guard case .object = value else { throw error(key, "must be an object") }
        return FieldReader(json: value, path: field(key), file: file)
    }

    func objects(_ key: String, count: ClosedRange<Int>) throws -> [FieldReader] {
        guard let items = try value(key).arrayValue else { throw error(key, "must be an array") }
        guard count.contains(items.count) else {
            throw error(key, "must have \(count.lowerBound)–\(count.upperBound) entries")
        }
        return try items.enumerated().map { index, item in
            let itemPath = "\(field(key))[\(index)]"
            guard case .object = item else {
                throw GameContentError(file: file, field: itemPath, message: "must be an object")
            }
            return FieldReader(json: item, path: itemPath, file: file)
        }
    }

    func ints(_ key: String, count: ClosedRange<Int>, each range: ClosedRange<Int64>) throws -> [Int64] {
        guard let items = try value(key).arrayValue else { throw error(key, "must be an array of whole numbers") }
        guard count.contains(items.count) else {
            throw error(key, "must have \(count.lowerBound)–\(count.upperBound) entries")
        }
        return try items.enumerated().map { index, item in
            guard let number = Self.integer(item, range) else {
                throw error("\(key)[\(index)]", Self.rangeMessage(range))
            }
            return number
        }
    }

    static func integer(_ value: JSON, _ range: ClosedRange<Int64>) -> Int64? {
        guard case let .int(number) = value, range.contains(number) else { return nil }
        return number
    }

    static func rangeMessage(_ range: ClosedRange<Int64>) -> String {
        range.lowerBound == 1 && range.upperBound >= 1_000_000
            ? "must be a whole number greater than 0 (at most \(range.upperBound))"
            : "must be a whole number from \(range.lowerBound) to \(range.upperBound)"
    }
}
