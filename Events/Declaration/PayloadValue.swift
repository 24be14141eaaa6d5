/// A value a payload field can hold: how the fast reader reads it, how the writer writes it, and the
/// name of its kind in the catalogue's documentation. The catalogue's payloads hold strings, integers,
/// lists of strings, the vocabulary's choices (`PayloadChoice`) and optionals of those.
public protocol PayloadValue: Codable, Sendable, Hashable {
    /// Reads the value of field `key` at the reader's current key.
    static func read(_ reader: inout FlatJSONReader, _ key: StaticString) throws(FlatJSONError) -> Self
    /// Writes field `key` with this value (an absent optional writes nothing, as `JSONEncoder` does).
    func write(_ key: StaticString, to writer: inout FlatJSONWriter)
    /// The kind, for the documentation ("string", "int", "[string]", "one of: …").
    static var kind: String { get }
    /// Whether a payload may leave the field out.
    static var isOptional: Bool { get }
}

extension PayloadValue {
    public static var isOptional: Bool { false }
}

extension String: PayloadValue {
    public static func read(_ reader: inout FlatJSONReader, _ key: StaticString) throws(FlatJSONError) -> String {
        try reader.string(key)
    }
    public func write(_ key: StaticString, to writer: inout FlatJSONWriter) { writer.field(key, self) }
    public static var kind: String { "string" }
}

extension Bool: PayloadValue {
    public static func read(_ reader: inout FlatJSONReader, _ key: StaticString) throws(FlatJSONError) -> Bool {
        try reader.bool(key)
    }
    public func write(_ key: StaticString, to writer: inout FlatJSONWriter) { writer.field(key, self) }
    public static var kind: String { "bool" }
}

extension Int: PayloadValue {
    public static func read(_ reader: inout FlatJSONReader, _ key: StaticString) throws(FlatJSONError) -> Int {
        try reader.int(key)
    }
    public func write(_ key: StaticString, to writer: inout FlatJSONWriter) { writer.field(key, self) }
    public static var kind: String { "int" }
}

extension Array: PayloadValue where Element == String {
    public static func read(_ reader: inout FlatJSONReader, _ key: StaticString) throws(FlatJSONError) -> [String] {
        try reader.strings(key)
    }
    public func write(_ key: StaticString, to writer: inout FlatJSONWriter) { writer.field(key, self) }
    public static var kind: String { "[string]" }
}

extension Optional: PayloadValue where Wrapped: PayloadValue {
    public static func read(_ reader: inout FlatJSONReader, _ key: StaticString) throws(FlatJSONError) -> Wrapped? {
        reader.consumeNull() ? nil : try Wrapped.read(&reader, key)
    }
    public func write(_ key: StaticString, to writer: inout FlatJSONWriter) { self?.write(key, to: &writer) }
    public static var kind: String { Wrapped.kind + "?" }
    public static var isOptional: Bool { true }
}

/// A closed set of words (the vocabulary's enums), stored as its raw string.
public protocol PayloadChoice: PayloadValue, RawRepresentable, CaseIterable where RawValue == String {}

extension PayloadChoice {
    public static func read(_ reader: inout FlatJSONReader, _ key: StaticString) throws(FlatJSONError) -> Self {
        try reader.value(key, as: Self.self)
    }
    public func write(_ key: StaticString, to writer: inout FlatJSONWriter) { writer.field(key, rawValue) }
    public static var kind: String { "one of: " + allCases.map(\.rawValue).joined(separator: ", ") }
}
