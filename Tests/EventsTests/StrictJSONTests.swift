import Events
import Testing

/// `StrictJSON` refuses what a lenient decoder would alter, and accepts every other JSON text.
@Suite struct StrictJSONTests {
    static func check(_ bytes: [UInt8], integersOnly: Bool = true) -> StrictJSON.Problem? {
        do throws(StrictJSON.Problem) {
            try StrictJSON.check(bytes, integersOnly: integersOnly)
            return nil
        } catch {
            return error
        }
    }

    static func string(_ raw: [UInt8]) -> [UInt8] { Array(#"{"name":""#.utf8) + raw + Array(#""}"#.utf8) }

    @Test func validJSONPasses() {
        for text in [#"{}"#, #"[]"#, #" {"a":"b","c":[1,-2,"d",null,true,false],"e":{"a":1}} "#, #""x""#, "0", "-12",
                     #"{"name":"é€😀\u00e9\ud83d\ude00\n\"\\\/"}"#, #"{"a":"1","A":"2"}"#] {
            #expect(Self.check(Array(text.utf8)) == nil, "\(text)")
        }
        #expect(Self.check(Array(#"[1.5,1e3,-0]"#.utf8), integersOnly: false) == nil)
    }

    @Test func invalidUTF8IsRefusedWithItsField() {
        let invalid: [[UInt8]] = [[0xFF, 0xFE], [0xC0, 0xAF], [0xC1, 0x81], [0xE9], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],
                                  [0xE0, 0x80, 0xAF], [0xF0, 0x80, 0x80, 0xAF], [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80],
                                  [0x80], [0xE2, 0x82, 0x41]]
        for bytes in invalid {
            #expect(Self.check(Self.string(Array("ok".utf8) + bytes)) == .invalidUTF8(field: "name"), "\(bytes)")
        }
        #expect(Self.check(Array(#"{""#.utf8) + [0xFF] + Array(#"":1}"#.utf8)) == .invalidUTF8(field: nil))
        #expect(Self.check(Array(#"{"emails":["a",""#.utf8) + [0xE9] + Array(#""]}"#.utf8)) == .invalidUTF8(field: "emails"))
    }

    @Test func loneSurrogateEscapesAreRefused() {
        for escape in [#"\ud800"#, #"\uDBFF"#, #"\udc00"#, #"\ud800x"#, #"\ud800\u0041"#, #"\ud800\ud800"#, #"\ud800\n"#] {
            #expect(Self.check(Self.string(Array(escape.utf8))) == .loneSurrogate(field: "name"), "\(escape)")
        }
    }

    @Test func aKeyGivenTwiceIsRefusedAlsoWhenEscaped() {
        #expect(Self.check(Array(#"{"name":"a","name":"b"}"#.utf8)) == .duplicateKey(field: "name"))
        #expect(Self.check(Array(#"{"name":"a","n\u0061me":"b"}"#.utf8)) == .duplicateKey(field: "name"))
        #expect(Self.check(Array(#"{"a":{"x":1,"x":2}}"#.utf8)) == .duplicateKey(field: "a"))
        #expect(Self.check(Array(#"{"we ird":1,"we ird":2}"#.utf8)) == .duplicateKey(field: nil))  // not a plain name: not quoted
        #expect(Self.check(Array(#"[{"a":1},{"a":1}]"#.utf8)) == nil)
    }

    @Test func numbersMustBePlainWholeNumbers() {
        for number in ["1e3", "1E2", "1e+2", "100.0", "100.0000000000000001", "-0", "-0.0", "0.5", "1.5e1"] {
            #expect(Self.check(Array(#"{"amountCents":\#(number)}"#.utf8)) == .notAPlainInteger(field: "amountCents"), "\(number)")
        }
        for number in ["0", "-1", "100", "99999999999999999999999"] {
            #expect(Self.check(Array(#"{"amountCents":\#(number)}"#.utf8)) == nil, "\(number)")
        }
    }

    @Test func syntaxAndDepth() {
        for text in ["", "{", #"{"a"}"#, #"{"a":}"#, #"{"a":1,}"#, "[1,]", "01", "-", "1.", "1e", "+1", #""\x""#, #""\u12""#,
                     "tru", "nul", #"{"a":1} x"#, "\"a\u{01}\"", "'a'"] {
            #expect(Self.check(Array(text.utf8)) == .syntax, "\(text)")
        }
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(Self.check(Array(deep.utf8)) == .tooDeep)
        let allowed = String(repeating: "[", count: StrictJSON.maxDepth) + String(repeating: "]", count: StrictJSON.maxDepth)
        #expect(Self.check(Array(allowed.utf8)) == nil)
    }
}
