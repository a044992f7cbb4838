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

    /// Matches with every word in the title: these results rank first (tier 0).
    public var titleOnly: String { "title : (\(anyColumn))" }

    /// Matches that need the description for some word: the second tier, exactly `anyColumn` minus `titleOnly`.
    ///
    /// Asking FTS5 for each tier on its own lets it stream each tier newest first and stop after one page, where
    /// a computed tier column would make SQLite rank every match before the LIMIT.
    public var notAllInTitle: String { "(\(anyColumn)) NOT \(titleOnly)" }

    /// The FTS5 query of a relevance tier: 0 for `titleOnly`, 1 for `notAllInTitle`.
    public func match(tier: Int64) -> String { tier == 0 ? titleOnly : notAllInTitle }
}
