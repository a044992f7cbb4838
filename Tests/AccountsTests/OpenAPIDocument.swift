import Core
import Foundation
import TestSupport

/// `Content/openapi.json` as the tests read it: its operations, `$ref`s followed, and request bodies with one field
/// taken out.
struct OpenAPIDocument {
    /// One operation: `GET /v1/products` and its object.
    struct Operation {
        let method: String
        let path: String
        let value: JSON

        var name: String { "\(method) \(path)" }

        /// Whether the operation needs a bearer token (`security` is not the empty list).
        var needsToken: Bool { value["security"]?.arrayValue?.isEmpty == false }
    }

    let root: JSON

    init() throws {
        let url = TestServer.repositoryRoot.appendingPathComponent("Content/openapi.json")
        root = try JSONParser.parse(Array(try Data(contentsOf: url)))
    }

    var operations: [Operation] {
        members(root["paths"]).flatMap { path, item in
            members(item).map { method, value in Operation(method: method.uppercased(), path: path, value: value) }
        }
    }

    /// The members of an object, in document order; none for anything else.
    func members(_ value: JSON?) -> [(String, JSON)] {
        if case let .object(members)? = value { return members }
        return []
    }

    /// Follows `{"$ref": "#/components/…"}` within the document.
    func resolve(_ value: JSON) -> JSON {
        guard let reference = value["$ref"]?.stringValue, reference.hasPrefix("#/") else { return value }
        let keys = reference.dropFirst(2).split(separator: "/").map(String.init)
        return resolve(keys.reduce(root as JSON?) { node, key in node?[key] } ?? .null)
    }

    /// One field taken out of a request body, and whether the document says the server needs it.
    struct Removal {
        let body: JSON
        /// The field as `Body` names it in `errors` (`items[0].quantity`, `discount.type`).
        let field: String
        let isRequired: Bool
    }

    /// Every copy of `body` with one field removed, at any depth the body reaches.
    ///
    /// A field that another needs (`dependentRequired`) leaves with it; a field required only in some alternatives
    /// (`anyOf`, such as `items` or `from_cart`) is neither always required nor optional, so it is not removed.
    func removals(from body: JSON, schema: JSON, path: String = "") -> [Removal] {
        let schema = resolve(schema)
        switch body {
        case let .object(fields):
            let required = Set(strings(schema["required"]))
            let alternatives = Set((schema["anyOf"]?.arrayValue ?? []).flatMap { strings($0["required"]) })
            var out: [Removal] = []
            for (index, (key, value)) in fields.enumerated() {
                guard let property = schema["properties"]?[key] else { continue }
                let field = path.isEmpty ? key : "\(path).\(key)"
                if !alternatives.contains(key) {
                    // Fields that need this one leave with it (`dependentRequired`).
                    let dependents = members(schema["dependentRequired"]).filter { strings($0.1).contains(key) }
                    let rest = fields.filter { member in member.0 != key && !dependents.contains { $0.0 == member.0 } }
                    out.append(Removal(body: .object(rest), field: field, isRequired: required.contains(key)))
                }
                for nested in removals(from: value, schema: property, path: field) {
                    var copy = fields
                    copy[index].1 = nested.body
                    out.append(Removal(body: .object(copy), field: nested.field, isRequired: nested.isRequired))
                }
            }
            return out
        case let .array(items):
            guard let first = items.first, let itemSchema = schema["items"] else { return [] }
            return removals(from: first, schema: itemSchema, path: "\(path)[0]").map { nested in
                Removal(
                    body: .array([nested.body] + items.dropFirst()), field: nested.field, isRequired: nested.isRequired
                )
            }
        default:
            return []
        }
    }

    private func strings(_ value: JSON?) -> [String] { value?.arrayValue?.compactMap(\.stringValue) ?? [] }
}
