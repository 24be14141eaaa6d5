/// Checks that a JSON text says exactly what it appears to say, before a decoder that would quietly
/// alter it reads it (Foundation's `JSONDecoder` turns invalid UTF-8 into U+FFFD, keeps the first of
/// two values for one key, and takes `1e3` or `100.0` for the integer 100). Refused:
/// - anything that is not JSON (RFC 8259), or nested deeper than `maxDepth`;
/// - strings that are not valid UTF-8: bytes that are never UTF-8, overlong forms, surrogates encoded
///   in UTF-8, code points above U+10FFFF, truncated sequences;
/// - `\u` escapes of a lone surrogate (a high one not followed by a low one, or a low one alone);
/// - a key given twice in one object (also when spelled with escapes);
/// - with `integersOnly`, a number that is not written as a plain whole number: a fraction, an
///   exponent, or minus zero.
///
/// A problem names the top-level field it was found in (only when its key is a plain name of up to 64
/// letters, digits or underscores: a key could be anything), never the value.
public enum StrictJSON {
    public enum Problem: Error, Sendable, Hashable {
        /// Not JSON at all.
        case syntax
        /// Nested more than `maxDepth` arrays and objects deep.
        case tooDeep
        /// A string (a key when `field` is nil) that is not valid UTF-8.
        case invalidUTF8(field: String?)
        /// A `\u` escape of a lone surrogate.
        case loneSurrogate(field: String?)
        /// A key given twice in one object.
        case duplicateKey(field: String?)
        /// A number with a fraction, an exponent or a minus zero where only whole numbers are allowed.
        case notAPlainInteger(field: String?)
    }

    /// Arrays and objects nested at most this deep (commands are one flat object with arrays of strings).
    public static let maxDepth = 64

    /// Throws the first problem of `bytes`, read as one JSON text.
    public static func check(_ bytes: [UInt8], integersOnly: Bool) throws(Problem) {
        let result: Result<Void, Problem> = bytes.withUnsafeBufferPointer { buffer in
            var scanner = Scanner(bytes: buffer, integersOnly: integersOnly)
            do throws(Problem) {
                try scanner.document()
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// The name of a top-level key for messages, when it is a plain name.
    static func fieldName(_ key: [UInt8]) -> String? {
        guard (1...64).contains(key.count) else { return nil }
        for byte in key {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"): continue
            default: return nil
            }
        }
        return String(decoding: key, as: UTF8.self)
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        let integersOnly: Bool
        var index = 0
        /// The top-level field being read (nil while reading a top-level key, or when unnamed).
        var field: String?

        init(bytes: UnsafeBufferPointer<UInt8>, integersOnly: Bool) {
            self.bytes = bytes
            self.integersOnly = integersOnly
        }

        mutating func document() throws(Problem) {
            skipWhitespace()
            try value(depth: 0)
            skipWhitespace()
            guard index == bytes.count else { throw .syntax }
        }

        private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        private mutating func skipWhitespace() {
            while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
        }

        private mutating func expect(_ byte: UInt8) throws(Problem) {
            guard current == byte else { throw .syntax }
            index += 1
        }

        private mutating func value(depth: Int) throws(Problem) {
            guard let byte = current else { throw .syntax }
            switch byte {
            case UInt8(ascii: "{"): try object(depth: depth + 1)
            case UInt8(ascii: "["): try array(depth: depth + 1)
            case UInt8(ascii: "\""): _ = try string(keepingBytes: false)
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
            default: throw .syntax
            }
        }

        private mutating func object(depth: Int) throws(Problem) {
            guard try enter(depth: depth, closing: UInt8(ascii: "}")) else { return }
            var keys = Set<[UInt8]>()
            let outer = field
            repeat {
                guard current == UInt8(ascii: "\"") else { throw .syntax }
                if depth == 1 { field = nil }
                let key = try string(keepingBytes: true)
                if depth == 1 { field = StrictJSON.fieldName(key) }
                guard keys.insert(key).inserted else { throw .duplicateKey(field: field) }
                skipWhitespace()
                try expect(UInt8(ascii: ":"))
                skipWhitespace()
                try value(depth: depth)
            } while try another(closing: UInt8(ascii: "}"))
            if depth == 1 { field = outer }
        }

        private mutating func array(depth: Int) throws(Problem) {
            guard try enter(depth: depth, closing: UInt8(ascii: "]")) else { return }
            repeat {
                try value(depth: depth)
            } while try another(closing: UInt8(ascii: "]"))
        }

        /// Steps into an object or array at its opening bracket: false when it is empty (and already
        /// stepped out of), true when a member or element follows.
        private mutating func enter(depth: Int, closing close: UInt8) throws(Problem) -> Bool {
            guard depth <= StrictJSON.maxDepth else { throw .tooDeep }
            index += 1
            skipWhitespace()
            guard current == close else { return true }
            index += 1
            return false
        }

        /// After a member or element: true when a comma says another follows, false at the closing bracket.
        private mutating func another(closing close: UInt8) throws(Problem) -> Bool {
            skipWhitespace()
            guard current == UInt8(ascii: ",") else {
                try expect(close)
                return false
            }
            index += 1
            skipWhitespace()
            return true
        }

        private mutating func literal(_ text: StaticString) throws(Problem) {
            let count = text.utf8CodeUnitCount
            guard bytes.count - index >= count else { throw .syntax }
            for offset in 0..<count where bytes[index + offset] != text.utf8Start[offset] { throw .syntax }
            index += count
        }

        private mutating func number() throws(Problem) {
            let negative = current == UInt8(ascii: "-")
            if negative { index += 1 }
            guard let first = current, isDigit(first) else { throw .syntax }
            index += 1
            if first != UInt8(ascii: "0") {
                while let byte = current, isDigit(byte) { index += 1 }
            }
            var plain = !(negative && first == UInt8(ascii: "0"))
            if current == UInt8(ascii: ".") {
                index += 1
                try digits()
                plain = false
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                index += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
                try digits()
                plain = false
            }
            if integersOnly, !plain { throw .notAPlainInteger(field: field) }
        }

        private mutating func digits() throws(Problem) {
            guard let byte = current, isDigit(byte) else { throw .syntax }
            while let byte = current, isDigit(byte) { index += 1 }
        }

        private func isDigit(_ byte: UInt8) -> Bool {
            byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
        }

        /// Checks one string (at its opening quote); returns its decoded bytes when `keepingBytes` (for keys).
        private mutating func string(keepingBytes: Bool) throws(Problem) -> [UInt8] {
            index += 1
            var decoded: [UInt8] = []
            while true {
                guard let byte = current else { throw .syntax }
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return decoded
                case UInt8(ascii: "\\"):
                    index += 1
                    let escaped = try escape()
                    if keepingBytes { decoded += escaped }
                case 0..<0x20:
                    throw .syntax
                case 0x20..<0x80:
                    if keepingBytes { decoded.append(byte) }
                    index += 1
                default:
                    let length = try utf8Sequence()
                    if keepingBytes { decoded += bytes[index..<(index + length)] }
                    index += length
                }
            }
        }

        /// The length of the valid multi-byte UTF-8 sequence at `index`, or `invalidUTF8`.
        private func utf8Sequence() throws(Problem) -> Int {
            let lead = bytes[index]
            let length: Int
            var secondRange: ClosedRange<UInt8> = 0x80...0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; secondRange = 0xA0...0xBF    // no overlong forms
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; secondRange = 0x80...0x9F    // no surrogates
            case 0xF0: length = 4; secondRange = 0x90...0xBF    // no overlong forms
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; secondRange = 0x80...0x8F    // nothing above U+10FFFF
            default: throw .invalidUTF8(field: field)          // continuation bytes, C0, C1, F5...FF
            }
            guard bytes.count - index >= length, secondRange.contains(bytes[index + 1]) else { throw .invalidUTF8(field: field) }
            for offset in 2..<length where !(0x80...0xBF).contains(bytes[index + offset]) { throw .invalidUTF8(field: field) }
            return length
        }

        /// Checks one escape (after its backslash) and returns the UTF-8 bytes it stands for.
        private mutating func escape() throws(Problem) -> [UInt8] {
            guard let byte = current else { throw .syntax }
            index += 1
            let simple: UInt8
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): simple = byte
            case UInt8(ascii: "b"): simple = 0x08
            case UInt8(ascii: "f"): simple = 0x0C
            case UInt8(ascii: "n"): simple = 0x0A
            case UInt8(ascii: "r"): simple = 0x0D
            case UInt8(ascii: "t"): simple = 0x09
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xDC00...0xDFFF).contains(code) { throw .loneSurrogate(field: field) }
                if (0xD800...0xDBFF).contains(code) {
                    guard bytes.count - index >= 2, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                        throw .loneSurrogate(field: field)
                    }
                    index += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw .loneSurrogate(field: field) }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else { throw .loneSurrogate(field: field) }
                return Array(String(Character(scalar)).utf8)
            default:
                throw .syntax
            }
            return [simple]
        }

        private mutating func hex4() throws(Problem) -> UInt32 {
            guard let value = JSONHex.value(in: bytes, at: index) else { throw .syntax }
            index += 4
            return value
        }
    }
}
