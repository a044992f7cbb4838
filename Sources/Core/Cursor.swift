import Foundation

/// Opaque list cursors (API.md §1): base64url of a small JSON array of the sort key of the last item served.
///
/// Keyset pagination on the sort key means a list never skips or repeats an item while others are being added.
public enum Cursor {
    public static func encode(_ key: [JSON]) -> String {
        Data(JSON.array(key).serialized()).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Returns nil for anything that is not a cursor this server made.
    public static func decode(_ text: String) -> [JSON]? {
        guard text.utf8.count <= 512 else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.utf8.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let value = try? JSONParser.parse(Array(data)) else { return nil }
        return value.arrayValue
    }

    /// The common key: newest first by `(created_at, id)`.
    public static func decodeTimeAndID(_ text: String) -> (Int64, String)? {
        guard let key = decode(text), key.count == 2, let time = key[0].intValue, let id = key[1].stringValue else {
            return nil
        }
        return (time, id)
    }
}

/// A page request after the API edge has validated `limit` (1–100) and `cursor`.
public struct PageRequest: Sendable {
    public var limit: Int
    public var cursor: String?

    public init(limit: Int = 20, cursor: String? = nil) {
        self.limit = limit
        self.cursor = cursor
    }
}

/// One page of a list and the cursor for the next, `nil` on the last page.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    /// Builds a page from `limit + 1` fetched rows: the extra row only tells that another page exists.
    public init(fetched: [Item], limit: Int, key: (Item) -> [JSON]) {
        if fetched.count > limit {
            items = Array(fetched.prefix(limit))
            nextCursor = Cursor.encode(key(items[limit - 1]))
        } else {
            items = fetched
            nextCursor = nil
        }
    }
}
