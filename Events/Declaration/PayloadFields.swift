/// A payload type that the fast reader can fill in: a blank value (`init()`, every property at its
/// default) whose fields `PayloadFields` sets one by one as it meets their keys.
public protocol FieldListed: Sendable, Hashable {
    /// The blank payload. Never seen outside the reader: a required field left out is an error.
    init()
}

/// The fields of one version of a payload, in sorted key order (the order they are written in):
/// the one description from which its fast reader and its writer follow.
public struct PayloadFields<Payload: FieldListed>: @unchecked Sendable {
    // Unchecked: immutable once made (the fields' closures).
    public let fields: [PayloadField<Payload>]
    // The reader and the writer are inlinable, so that other modules' payloads (the decision state's
    // records, the events the Marketplace encodes) get them specialized: a generic call across modules
    // costs about as much again as the work (commands benchmark). Hence the @usableFromInline below.
    /// Bit `i` set: field `i` is required.
    @usableFromInline let required: UInt64
    /// The fields' keys and readers apart: the reader's loop touches only these (no copies of fields).
    @usableFromInline let keys: [StaticString]
    @usableFromInline let readers: [(UnsafeMutablePointer<Payload>, inout FlatJSONReader) throws(FlatJSONError) -> Void]
    @usableFromInline let directs: [DirectAccess]

    public init(_ fields: [PayloadField<Payload>]) {
        precondition(fields.count <= 64, "a payload has at most 64 fields")
        self.fields = fields
        var required: UInt64 = 0
        for (index, field) in fields.enumerated() where !field.isOptional { required |= 1 << UInt64(index) }
        self.required = required
        keys = fields.map(\.key)
        readers = fields.map(\.read)
        directs = fields.map(\.direct)
    }

    /// Reads a payload with the fast reader: keys in any order (sorted order is the fast path), unknown
    /// keys skipped, a repeated key keeps its last value, a required field left out is an error.
    @inlinable
    public func read(_ bytes: UnsafeBufferPointer<UInt8>) throws(FlatJSONError) -> Payload {
        try FlatJSONReader.read(bytes) { reader throws(FlatJSONError) in
            var payload = Payload()
            try withUnsafeMutablePointer(to: &payload) { pointer throws(FlatJSONError) in try fill(pointer, &reader) }
            return payload
        }
    }

    @inlinable
    func fill(_ payload: UnsafeMutablePointer<Payload>, _ reader: inout FlatJSONReader) throws(FlatJSONError) {
        var seen: UInt64 = 0
        // The field expected next: payloads are written in field order, so usually the next key.
        var expected = 0
        while try reader.nextKey() {
            var index = expected
            if index >= keys.count || !reader.isKey(keys[index]) {
                index = 0
                while index < keys.count, !reader.isKey(keys[index]) { index += 1 }
                guard index < keys.count else {
                    try reader.skipValue()
                    continue
                }
            }
            let raw = UnsafeMutableRawPointer(payload)
            switch directs[index] {
            case .string(let offset): (raw + offset).assumingMemoryBound(to: String.self).pointee = try reader.string(keys[index])
            case .optionalString(let offset):
                (raw + offset).assumingMemoryBound(to: String?.self).pointee = try reader.optionalString(keys[index])
            case .int(let offset): (raw + offset).assumingMemoryBound(to: Int.self).pointee = try reader.int(keys[index])
            case .bool(let offset): (raw + offset).assumingMemoryBound(to: Bool.self).pointee = try reader.bool(keys[index])
            case .other: try readers[index](payload, &reader)
            }
            seen |= 1 << UInt64(index)
            expected = index + 1
        }
        let missing = required & ~seen
        if missing != 0 { throw .missing(keys[missing.trailingZeroBitCount]) }
    }

    /// `read` of owned bytes.
    @inlinable
    public func read(_ bytes: [UInt8]) throws(FlatJSONError) -> Payload {
        let result: Result<Payload, FlatJSONError> = bytes.withUnsafeBufferPointer { buffer in
            do throws(FlatJSONError) { return .success(try read(buffer)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// The deterministic JSON payload: sorted keys, no whitespace, absent optionals left out.
    @inlinable
    public func write(_ payload: Payload) -> [UInt8] {
        var writer = FlatJSONWriter()
        withUnsafePointer(to: payload) { pointer in
            let raw = UnsafeRawPointer(pointer)
            for index in keys.indices {
                let key = keys[index]
                switch directs[index] {
                case .string(let offset): writer.field(key, (raw + offset).assumingMemoryBound(to: String.self).pointee)
                case .optionalString(let offset): writer.field(key, (raw + offset).assumingMemoryBound(to: String?.self).pointee)
                case .int(let offset): writer.field(key, (raw + offset).assumingMemoryBound(to: Int.self).pointee)
                case .bool(let offset): writer.field(key, (raw + offset).assumingMemoryBound(to: Bool.self).pointee)
                case .other: fields[index].write(pointer, &writer)
                }
            }
        }
        return writer.finish()
    }
}
