/// Turns what a user typed into an FTS5 query: every word must match, each as a prefix (API.md §12).
///
/// Words are split where `unicode61` splits them (anything but letters and digits), so `tee-set` asks for `tee*`
/// and `set*`. Each word is quoted, so no user input is ever read as FTS5 syntax
/// (https://sqlite.org/fts5.html#full_text_query_syntax).
public struct SearchQuery: Sendable, Equatable {
    public static let maxWords = 16

    public let words: [String]

    public init(_ text: String) {
        var words: [String] = []
        var current = ""
        for character in text {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        self.words = Array(words.prefix(Self.maxWords))
    }

    public var isEmpty: Bool { words.isEmpty }

    /// Matches anywhere in the title or the description.
    public var anyColumn: String { words.map { "\"\($0)\"*" }.joined(separator: " ") }

    /// Matches that need the description for some word: the second relevance tier, exactly `anyColumn` minus the
    /// products whose title has every word (the first tier).
    public var notAllInTitle: String { "(\(anyColumn)) NOT title : (\(anyColumn))" }
}
