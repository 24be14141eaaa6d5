/// One field of a payload: its persisted key, its kind, and how to read and write it, from a key path
/// to the stored property. `PayloadFields` reads and writes whole payloads from a list of these.
public struct PayloadField<Payload>: @unchecked Sendable {
    // Unchecked: the key path (to a stored property) and the closures are immutable once made.
    /// The JSON key, which never changes once shipped.
    public let key: StaticString
    /// The kind, as documented ("string", "string?", "one of: …").
    public let kind: String
    /// Whether a payload may leave the field out.
    public private(set) var isOptional: Bool
    /// The stored property (to tell which field names the stream).
    let path: AnyKeyPath
    let read: (inout Payload, inout FlatJSONReader) throws(FlatJSONError) -> Void
    let write: (Payload, inout FlatJSONWriter) -> Void

    /// The field stored at `path` under `key`.
    public init<Value: PayloadValue>(_ key: StaticString, _ path: WritableKeyPath<Payload, Value>) {
        self.key = key
        kind = Value.kind
        isOptional = Value.isOptional
        self.path = path
        read = { payload, reader throws(FlatJSONError) in payload[keyPath: path] = try Value.read(&reader, key) }
        write = { payload, writer in payload[keyPath: path].write(key, to: &writer) }
    }

    /// A field that a payload may leave out, whose value is then `path`'s default in the blank payload
    /// (for stored records that gained a field; events use optionals instead).
    public static func defaulted<Value: PayloadValue>(_ key: StaticString, _ path: WritableKeyPath<Payload, Value>) -> PayloadField {
        var field = PayloadField(key, path)
        field.isOptional = true
        return field
    }

    /// The key as a `String`.
    public var name: String { key.description }
}
