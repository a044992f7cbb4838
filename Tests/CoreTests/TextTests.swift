import Core
import Testing

@Suite("Text: trimming and lengths (API.md §12)")
struct TextTests {
    @Test("white space around a string goes, inside it stays; a string without any comes back as it is")
    func trimming() {
        #expect("".trimmedWhitespace == "")
        #expect(" \t\n".trimmedWhitespace == "")
        #expect("Käse".trimmedWhitespace == "Käse")
        #expect("  Frischer Käse\n".trimmedWhitespace == "Frischer Käse")
        #expect("\u{3000}a b\u{00A0}".trimmedWhitespace == "a b", "Unicode white space, not only ASCII")
        #expect("a ".trimmedWhitespace == "a")
        #expect(" a".trimmedWhitespace == "a")
        #expect("👍🏽 ".trimmedWhitespace.codePointCount == 2)
    }
}
