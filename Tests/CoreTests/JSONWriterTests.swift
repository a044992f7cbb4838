import Core
import Testing

@Suite("JSON writing")
struct JSONWriterTests {
    static func text(_ value: JSON) -> String { String(decoding: value.serialized(), as: UTF8.self) }

    @Test("strings are escaped per RFC 8259 §7, short and long, ASCII and not")
    func escaping() throws {
        let cases: [(String, String)] = [
            ("", #""""#),
            ("plain", #""plain""#),
            ("Käse – 12 €", #""Käse – 12 €""#),
            ("say \"hi\"", #""say \"hi\"""#),
            ("back\\slash", #""back\\slash""#),
            ("line\nbreak\r\ttab", #""line\nbreak\r\ttab""#),
            ("\u{01}\u{1F}", #""\u0001\u001f""#),
            (String(repeating: "a", count: 300) + "\"", "\"" + String(repeating: "a", count: 300) + "\\\"\""),
            (String(repeating: "ü", count: 40), "\"" + String(repeating: "ü", count: 40) + "\""),
        ]
        for (input, expected) in cases {
            #expect(Self.text(.string(input)) == expected, "\(input.debugDescription)")
            #expect(try JSONParser.parse(JSON.string(input).serialized()) == .string(input), "round trip")
        }
    }

    @Test("a string that is not native UTF-8 storage is written the same")
    func bridgedSubstring() throws {
        let source = "xx\"Tee\"xx"
        let sliced = String(source.dropFirst(2).dropLast(2))
        #expect(Self.text(.string(sliced)) == #""\"Tee\"""#)
        #expect(Self.text(.object([("a\"b", .string("c"))])) == #"{"a\"b":"c"}"#)
    }
}
