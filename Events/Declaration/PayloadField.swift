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
    /// Reads the field's value into the payload at the pointer.
    @usableFromInline let read: (UnsafeMutablePointer<Payload>, inout FlatJSONReader) throws(FlatJSONError) -> Void
    /// Writes the field of the payload at the pointer.
    @usableFromInline let write: (UnsafePointer<Payload>, inout FlatJSONWriter) -> Void
    /// The common kinds, read in place by `PayloadFields` without a call through `read`.
    @usableFromInline let direct: DirectAccess

    /// The field stored at `path` under `key`.
    public init<Value: PayloadValue>(_ key: StaticString, _ path: WritableKeyPath<Payload, Value>) {
        self.key = key
        kind = Value.kind
        isOptional = Value.isOptional
        self.path = path
        // A stored property is read and written in place at its offset: a key path applied at run time
        // costs more than the rest of the field's decoding (decode benchmark). Other key paths go the slow way.
        direct = DirectAccess(Value.self, offset: MemoryLayout<Payload>.offset(of: path))
        if let offset = MemoryLayout<Payload>.offset(of: path) {
            read = { payload, reader throws(FlatJSONError) in
                let value = try Value.read(&reader, key)
                (UnsafeMutableRawPointer(payload) + offset).assumingMemoryBound(to: Value.self).pointee = value
            }
            write = { payload, writer in
                (UnsafeRawPointer(payload) + offset).assumingMemoryBound(to: Value.self).pointee.write(key, to: &writer)
            }
        } else {
            read = { payload, reader throws(FlatJSONError) in payload.pointee[keyPath: path] = try Value.read(&reader, key) }
            write = { payload, writer in payload.pointee[keyPath: path].write(key, to: &writer) }
        }
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

/// How the reader's and the writer's loops get at a field of one of the common kinds, at its offset in the payload: a switch
/// instead of a closure call (the decode benchmark's fast reader spends most of its time in strings).
@usableFromInline
enum DirectAccess: Sendable {
    case string(offset: Int)
    case optionalString(offset: Int)
    case int(offset: Int)
    case bool(offset: Int)
    /// Any other kind, or a property without a fixed offset: through the field's `read`.
    case other

    init<Value>(_: Value.Type, offset: Int?) {
        guard let offset else {
            self = .other
            return
        }
        if Value.self == String.self {
            self = .string(offset: offset)
        } else if Value.self == String?.self {
            self = .optionalString(offset: offset)
        } else if Value.self == Int.self {
            self = .int(offset: offset)
        } else if Value.self == Bool.self {
            self = .bool(offset: offset)
        } else {
            self = .other
        }
    }
}
