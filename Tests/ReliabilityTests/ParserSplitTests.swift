import HTTP
import Testing

/// Findings of the HTTP parser fuzzer (bench/fuzz), kept as regression tests: the parse of a byte stream must not
/// depend on how the bytes were split into reads.
@Suite("Fuzzer findings in the HTTP parser")
struct ParserSplitTests {
    static func outcome(_ bytes: [UInt8], slice: Int, limits: HTTPLimits) -> HTTPParserError? {
        var parser = HTTPRequestParser(limits: limits)
        var offset = 0
        while offset < bytes.count {
            parser.feed(bytes[offset..<min(bytes.count, offset + slice)])
            offset += slice
            do {
                while try parser.next() != nil {}
            } catch {
                return error
            }
        }
        return nil
    }

    @Test("an over-long request line ending in a bare LF is 414 whether it arrives whole or in pieces")
    func lineLengthBeforeLineEnding() {
        // bench/fuzz/corpus/regression-line-length-vs-ending without its control byte: 73 bytes, then a bare LF.
        let line = Array(".OIntST / \u{2}".utf8) + Array(repeating: UInt8(ascii: "l"), count: 46) + Array("HTO/P S HTTTQ/0.0".utf8)
        let bytes = line + [0xD1, 10] + Array("TP/1.1\r\r\r\n\nHost".utf8)
        let limits = HTTPLimits(requestLineBytes: 64, headerBytes: 256, headerCount: 8, bodyBytes: 128)
        let whole = Self.outcome(bytes, slice: bytes.count, limits: limits)
        #expect(whole == .requestLineTooLong)
        for slice in 1...16 {
            #expect(Self.outcome(bytes, slice: slice, limits: limits) == whole, "slices of \(slice)")
        }
    }
}
