import Core
import Foundation
import Testing

@Suite("RFC 3339 timestamps")
struct TimestampTests {
    /// The reference: the C library's calendar arithmetic.
    func reference(_ seconds: Int64) -> String {
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec)
        )
    }

    @Test("agrees with gmtime across leap years, month ends and centuries")
    func agreesWithGmtime() {
        let samples: [Int64] = [0, 59, 86_399, 86_400, 951_782_400, 951_868_799, 1_709_164_800, 1_790_000_000,
                                4_102_444_799, 4_107_542_400, 253_402_300_799]
        for seconds in samples { #expect(Timestamp.format(epochSeconds: seconds) == reference(seconds)) }
        var seconds: Int64 = 0
        var step: Int64 = 7_919
        while seconds < 4_200_000_000 {
            #expect(Timestamp.format(epochSeconds: seconds) == reference(seconds))
            seconds += step * 1_013
            step += 1
        }
    }

    @Test("parses what it formats, with or without fractions and offsets")
    func parses() {
        #expect(Timestamp.parse("2026-11-23T10:00:00Z")?.epochSeconds == 1_795_428_000)
        #expect(Timestamp.parse("2026-11-23T11:00:00+01:00")?.epochSeconds == 1_795_428_000)
        #expect(Timestamp.parse("2026-11-23T10:00:00.250Z")?.epochSeconds == 1_795_428_000)
        #expect(Timestamp.parse("23.11.2026") == nil)
    }

    @Test("the formatter-free path for Basar's own shape agrees with ISO8601DateFormatter; impossible times are refused, not rolled over")
    func fastPathAgreesWithFormatter() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        var seconds: Int64 = 0
        var step: Int64 = 7_919
        while seconds < 4_200_000_000 {
            let text = Timestamp.format(epochSeconds: seconds)
            #expect(Timestamp.parse(text)?.epochSeconds == seconds)
            #expect(formatter.date(from: text)?.epochSeconds == seconds, "\(text)")
            seconds += step * 1_013
            step += 1
        }
        for impossible in ["2026-02-29T10:00:00Z", "2024-02-30T10:00:00Z", "2026-13-01T10:00:00Z", "2026-12-07T24:00:00Z",
                           "2026-12-07T10:60:00Z", "2026-00-07T10:00:00Z", "2026-12-00T10:00:00Z"] {
            #expect(Timestamp.parse(impossible) == nil, "\(impossible)")
        }
        #expect(Timestamp.parse("2024-02-29T23:59:59Z")?.epochSeconds == 1_709_251_199)
        #expect(Timestamp.parse("2026-12-07T1a:00:00Z") == nil)
    }
}

@Suite("JSON")
struct JSONTests {
    @Test("round-trips values, keeps key order and exact 64-bit integers")
    func roundTrip() throws {
        let text = #"{"b":1,"a":[true,false,null,-9223372036854775808,9223372036854775807],"s":"Käse \"x\" \\ \n\u0001","d":1.5}"#
        let value = try JSONParser.parse(Array(text.utf8))
        #expect(value["a"]?.arrayValue?[4] == .int(Int64.max))
        #expect(value["s"]?.stringValue == "Käse \"x\" \\ \n\u{01}")
        let again = try JSONParser.parse(value.serialized())
        #expect(again == value)
        guard case let .object(members) = again else { Issue.record("not an object"); return }
        #expect(members.map(\.0) == ["b", "a", "s", "d"])
    }

    @Test(
        "rejects what RFC 8259 does not allow",
        arguments: ["{\"a\":1,}", "[1,]", "{'a':1}", "{\"a\":01}", "{\"a\":1}{", "{\"a\":1,\"a\":2}", "\"\\ud800\"",
                    "{\"a\":\"\u{01}\"}", "nul", "", "[" + String(repeating: "[", count: 100) + "]"]
    )
    func rejects(text: String) {
        #expect(throws: JSONParser.Error.self) { try JSONParser.parse(Array(text.utf8)) }
    }

    @Test("surrogate pairs decode to one scalar")
    func surrogates() throws {
        #expect(try JSONParser.parse(Array(#""\ud83d\ude00""#.utf8)).stringValue == "😀")
    }
}
