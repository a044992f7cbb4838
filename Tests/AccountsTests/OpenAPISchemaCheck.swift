import Core

/// The part of JSON Schema 2020-12 that `Content/openapi.json` uses for its answers: `$ref`, `anyOf`, `type` (one or
/// a list), `enum`, `const`, `properties`, `required`, `additionalProperties: false`, `items`, `minimum`/`maximum`.
/// Formats and patterns are not checked; enough to catch a field name, a type or an enum value that differs.
struct OpenAPISchemaCheck {
    let document: OpenAPIDocument

    /// Every way `value` breaks `schema`, each naming the path (`data[0].reason.rule`); none when it fits.
    func problems(_ value: JSON, _ schema: JSON, at path: String = "$") -> [String] {
        let schema = document.resolve(schema)
        if let alternatives = schema["anyOf"]?.arrayValue {
            let each = alternatives.map { problems(value, $0, at: path) }
            if each.contains(where: \.isEmpty) { return [] }
            return ["\(path): fits none of anyOf (\(each.map { $0.first ?? "" }.joined(separator: "; ")))"]
        }
        var out: [String] = []
        if let types = typeNames(schema["type"]), !types.contains(where: { Self.has(value, type: $0) }) {
            return ["\(path): \(Self.describe(value)) is not \(types.joined(separator: " or "))"]
        }
        if let choices = schema["enum"]?.arrayValue, !choices.contains(value) {
            out.append("\(path): \(Self.describe(value)) is not one of the enum")
        }
        if let constant = schema["const"], constant != value {
            out.append("\(path): \(Self.describe(value)) is not the const")
        }
        if case let .int(number) = value {
            if let minimum = schema["minimum"]?.intValue, number < minimum { out.append("\(path): below \(minimum)") }
            if let maximum = schema["maximum"]?.intValue, number > maximum { out.append("\(path): above \(maximum)") }
        }
        switch value {
        case let .object(members):
            let properties = document.members(schema["properties"])
            for case let .string(name) in schema["required"]?.arrayValue ?? [] where value[name] == nil {
                out.append("\(path): lacks the required \(name)")
            }
            for (key, member) in members {
                if let property = properties.first(where: { $0.0 == key })?.1 {
                    out += problems(member, property, at: "\(path).\(key)")
                } else if schema["additionalProperties"]?.boolValue == false {
                    out.append("\(path): \(key) is not a documented field")
                }
            }
        case let .array(items):
            if let itemSchema = schema["items"] {
                for (index, item) in items.enumerated() { out += problems(item, itemSchema, at: "\(path)[\(index)]") }
            }
        default:
            break
        }
        return out
    }

    private func typeNames(_ value: JSON?) -> [String]? {
        switch value {
        case let .string(name)?: [name]
        case let .array(names)?: names.compactMap(\.stringValue)
        default: nil
        }
    }

    static func has(_ value: JSON, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object): true
        case ("integer", .int), ("number", .int), ("number", .double): true
        case let ("integer", .double(number)): number == number.rounded()
        default: false
        }
    }

    static func describe(_ value: JSON) -> String {
        let text = String(decoding: value.serialized(), as: UTF8.self)
        return text.count > 60 ? String(text.prefix(60)) + "…" : text
    }
}
