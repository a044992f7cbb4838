extension HTTPHeaders {
    /// Wraps already-built fields without copying them (the parser's fast path).
    init(elements: [Element]) {
        self.init()
        fields = elements
    }

    /// Whether a comma-separated list in any field named `name` holds `token` (RFC 9110 §5.6.1): elements are
    /// trimmed of OWS and compared ASCII case-insensitively, and nothing is allocated, because `Connection` and
    /// `Expect` are checked on every request.
    /// - Parameters:
    ///   - name: the field name, compared case-insensitively.
    ///   - token: the list element to look for, in any case.
    func listContains(_ name: String, token: String) -> Bool {
        for field in self where Self.equal(field.name, name) {
            if Self.list(field.value, contains: token) { return true }
        }
        return false
    }

    static func list(_ value: String, contains token: String) -> Bool {
        var value = value
        var token = token
        return value.withUTF8 { list in
            token.withUTF8 { wanted in
                var start = 0
                while start <= list.count {
                    var end = start
                    while end < list.count, list[end] != 0x2C { end += 1 }
                    var (low, high) = (start, end)
                    while low < high, list[low] == 0x20 || list[low] == 0x09 { low += 1 }
                    while high > low, list[high - 1] == 0x20 || list[high - 1] == 0x09 { high -= 1 }
                    if high - low == wanted.count, high > low {
                        var index = 0
                        while index < wanted.count, lower(list[low + index]) == lower(wanted[index]) { index += 1 }
                        if index == wanted.count { return true }
                    }
                    start = end + 1
                }
                return false
            }
        }
    }
}
