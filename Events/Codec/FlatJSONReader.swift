/// A fast reader for the flat JSON objects the catalogue writes: one object whose values are strings,
/// integers, booleans, null or arrays of strings. Anything else (nested objects, fractions, exponents,
/// escaped keys) is refused with a `FlatJSONError`; callers then fall back to `JSONDecoder`, which is the
/// reference. Keys may come in any order; unknown keys are skipped; a repeated key keeps its last value.
///
/// Use it through `FlatJSONReader.read(_:_:)`, which keeps the bytes alive while the body runs:
///
/// ```swift
/// try FlatJSONReader.read(payload) { reader throws(FlatJSONError) in
///     var name: String?
///     while try reader.nextKey() {
///         if reader.isKey("name") { name = try reader.string("name") } else { try reader.skipValue() }
///     }
///     return try FlatJSONReader.required(name, "name")
/// }
/// ```
public struct FlatJSONReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var started = false
    private var keyStart = 0
    private var keyLength = 0

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Runs `body` over a reader of `payload`.
    public static func read<T>(
        _ payload: [UInt8], _ body: (inout FlatJSONReader) throws(FlatJSONError) -> T
    ) throws(FlatJSONError) -> T {
        let result: Result<T, FlatJSONError> = payload.withUnsafeBufferPointer { buffer in
            do throws(FlatJSONError) { return .success(try read(buffer, body)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Runs `body` over a reader of `bytes` (which must stay valid while it runs).
    public static func read<T>(
        _ bytes: UnsafeBufferPointer<UInt8>, _ body: (inout FlatJSONReader) throws(FlatJSONError) -> T
    ) throws(FlatJSONError) -> T {
        var reader = FlatJSONReader(bytes: bytes)
        return try body(&reader)
    }

    public static func required<T>(_ value: T?, _ field: StaticString) throws(FlatJSONError) -> T {
        guard let value else { throw .missing(field) }
        return value
    }

    // MARK: Structure

    @inline(__always) private mutating func skipWhitespace() {
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            index += 1
        }
    }

    @inline(__always) private mutating func expect(_ byte: UInt8, _ what: String) throws(FlatJSONError) {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { throw .syntax("expected \(what)", at: index) }
        index += 1
    }

    /// Moves to the next key; false at the end of the object (after which only whitespace may follow).
    public mutating func nextKey() throws(FlatJSONError) -> Bool {
        skipWhitespace()
        if !started {
            try expect(UInt8(ascii: "{"), "'{'")
            started = true
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                try finishObject()
                return false
            }
        } else {
            guard index < bytes.count else { throw .syntax("unterminated object", at: index) }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                try finishObject()
                return false
            }
            try expect(UInt8(ascii: ","), "',' or '}'")
            skipWhitespace()
        }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw .syntax("expected a key", at: index) }
        index += 1
        keyStart = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            guard bytes[index] != UInt8(ascii: "\\"), bytes[index] >= 0x20 else { throw .syntax("unsupported key", at: index) }
            index += 1
        }
        guard index < bytes.count else { throw .syntax("unterminated key", at: keyStart) }
        keyLength = index - keyStart
        index += 1
        try expect(UInt8(ascii: ":"), "':'")
        skipWhitespace()
        return true
    }

    private mutating func finishObject() throws(FlatJSONError) {
        skipWhitespace()
        guard index == bytes.count else { throw .syntax("unexpected bytes after the object", at: index) }
    }

    /// Whether the current key is `name`.
    @inline(__always) public func isKey(_ name: StaticString) -> Bool {
        guard name.utf8CodeUnitCount == keyLength else { return false }
        let candidate = name.utf8Start
        for offset in 0..<keyLength where bytes[keyStart + offset] != candidate[offset] { return false }
        return true
    }

    // MARK: Values

    @inline(__always) private func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private mutating func literal(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard bytes.count - index >= count else { return false }
        for offset in 0..<count where bytes[index + offset] != text.utf8Start[offset] { return false }
        index += count
        return true
    }

    /// True (and consumes it) when the value is `null`.
    public mutating func consumeNull() -> Bool {
        peek() == UInt8(ascii: "n") && literal("null")
    }

    public mutating func string(_ field: StaticString) throws(FlatJSONError) -> String {
        guard peek() == UInt8(ascii: "\"") else { throw .wrongType(field, expected: "a string") }
        return try parseString()
    }

    public mutating func optionalString(_ field: StaticString) throws(FlatJSONError) -> String? {
        if consumeNull() { return nil }
        return try string(field)
    }

    public mutating func int(_ field: StaticString) throws(FlatJSONError) -> Int {
        let start = index
        var negative = false
        if peek() == UInt8(ascii: "-") { negative = true; index += 1 }
        let digitsStart = index
        var value = 0
        while let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            let digit = Int(byte - UInt8(ascii: "0"))
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? times10.subtractingReportingOverflow(digit) : times10.addingReportingOverflow(digit)
            guard !o1, !o2 else { throw .wrongType(field, expected: "an integer in range") }
            value = next
            index += 1
        }
        let digits = index - digitsStart
        guard digits > 0 else { throw .wrongType(field, expected: "an integer") }
        guard digits == 1 || bytes[digitsStart] != UInt8(ascii: "0") else { throw .syntax("leading zero", at: start) }
        if let byte = peek(), byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            throw .wrongType(field, expected: "a plain integer")
        }
        return value
    }

    public mutating func optionalInt(_ field: StaticString) throws(FlatJSONError) -> Int? {
        if consumeNull() { return nil }
        return try int(field)
    }

    public mutating func bool(_ field: StaticString) throws(FlatJSONError) -> Bool {
        if literal("true") { return true }
        if literal("false") { return false }
        throw .wrongType(field, expected: "a boolean")
    }

    public mutating func strings(_ field: StaticString) throws(FlatJSONError) -> [String] {
        guard peek() == UInt8(ascii: "[") else { throw .wrongType(field, expected: "an array of strings") }
        index += 1
        var values: [String] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") { index += 1; return values }
        while true {
            skipWhitespace()
            values.append(try string(field))
            skipWhitespace()
            guard let byte = peek() else { throw .syntax("unterminated array", at: index) }
            index += 1
            if byte == UInt8(ascii: "]") { return values }
            guard byte == UInt8(ascii: ",") else { throw .syntax("expected ',' or ']'", at: index - 1) }
        }
    }

    public mutating func optionalStrings(_ field: StaticString) throws(FlatJSONError) -> [String]? {
        if consumeNull() { return nil }
        return try strings(field)
    }

    public mutating func value<E: RawRepresentable>(_ field: StaticString, as type: E.Type) throws(FlatJSONError) -> E
    where E.RawValue == String {
        guard let value = E(rawValue: try string(field)) else { throw .wrongType(field, expected: "a known value") }
        return value
    }

    public mutating func optionalValue<E: RawRepresentable>(_ field: StaticString, as type: E.Type) throws(FlatJSONError) -> E?
    where E.RawValue == String {
        if consumeNull() { return nil }
        return try value(field, as: type)
    }

    /// Skips the current value (of any supported kind).
    public mutating func skipValue() throws(FlatJSONError) {
        switch peek() {
        case UInt8(ascii: "\""): _ = try parseString()
        case UInt8(ascii: "["): _ = try strings("(unknown)")
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try bool("(unknown)")
        case UInt8(ascii: "n"): guard consumeNull() else { throw .syntax("bad literal", at: index) }
        default: _ = try int("(unknown)")
        }
    }

    // MARK: Strings

    private mutating func parseString() throws(FlatJSONError) -> String {
        index += 1 // opening quote
        let start = index
        var allBits: UInt8 = 0
        while true {
            skipPlainASCIIWords()
            guard index < bytes.count else { break }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let raw = UnsafeBufferPointer(rebasing: bytes[start..<index])
                // ASCII needs no validation (and String(decoding:) is the specialized fast path);
                // anything else must be valid UTF-8.
                let text = allBits < 0x80 ? String(decoding: raw, as: UTF8.self) : String(validating: raw, as: UTF8.self)
                guard let text else { throw .syntax("invalid UTF-8 in a string", at: start) }
                index += 1
                return text
            }
            allBits |= byte
            if byte == UInt8(ascii: "\\") { return try parseEscapedString(from: start) }
            guard byte >= 0x20 else { throw .syntax("control character in a string", at: index) }
            index += 1
        }
        throw .syntax("unterminated string", at: start)
    }

    /// Moves past the next string bytes eight at a time while none of them is a quote, a backslash, a
    /// control character or a non-ASCII byte (those are left to the byte-by-byte loop, which decides).
    @inline(__always) private mutating func skipPlainASCIIWords() {
        guard let base = bytes.baseAddress else { return }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while index &+ 8 <= bytes.count {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
            let quotes = word ^ (ones &* 0x22)
            let backslashes = word ^ (ones &* 0x5C)
            // A byte is flagged when it is zero in `quotes` or `backslashes`, below 0x20, or has its high
            // bit set (the classic "has a zero byte" test; a false alarm only sends the word to the slow loop).
            let flagged = ((quotes &- ones) & ~quotes) | ((backslashes &- ones) & ~backslashes)
                | ((word &- ones &* 0x20) & ~word) | word
            if flagged & highs != 0 { return }
            index &+= 8
        }
    }

    private mutating func parseEscapedString(from start: Int) throws(FlatJSONError) -> String {
        var out = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: out, as: UTF8.self) else { throw .syntax("invalid UTF-8 in a string", at: start) }
                return text
            case UInt8(ascii: "\\"):
                guard let escape = peek() else { throw .syntax("unterminated escape", at: index) }
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"): try appendUnicodeEscape(to: &out)
                default: throw .syntax("unknown escape", at: index - 1)
                }
            default:
                guard byte >= 0x20 else { throw .syntax("control character in a string", at: index - 1) }
                out.append(byte)
            }
        }
        throw .syntax("unterminated string", at: start)
    }

    private mutating func hex4() throws(FlatJSONError) -> UInt32 {
        guard let value = JSONHex.value(in: bytes, at: index) else { throw .syntax("bad \\u escape", at: index) }
        index += 4
        return value
    }

    private mutating func appendUnicodeEscape(to out: inout [UInt8]) throws(FlatJSONError) {
        var code = try hex4()
        if (0xD800...0xDBFF).contains(code) {
            guard literal("\\u") else { throw .syntax("lone surrogate", at: index) }
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw .syntax("bad surrogate pair", at: index) }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(code) else { throw .syntax("lone surrogate", at: index) }
        out.append(contentsOf: UTF8.encode(scalar).map { Array($0) } ?? [])
    }
}
