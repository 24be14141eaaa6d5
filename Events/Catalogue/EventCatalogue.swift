import Foundation

/// The registry of event types: decodes stored `(type, schemaVersion, payload)` into typed events,
/// upcasting old versions. Each entry follows from its type's `EventDeclaration`; the list of types is
/// `MarketplaceEvent.declared` (generated from Events/catalogue.json).
///
/// `decode` uses the fast reader and falls back to `JSONDecoder` for payloads it does not handle;
/// `decodeWithFoundation` is the reference implementation, used by the tests.
public enum EventCatalogue {
    /// One persisted event type.
    public struct Entry: Sendable {
        public var type: String
        /// The version written today.
        public var currentVersion: UInt16
        /// Every version that can still be read (older ones through upcasters), oldest first.
        public var readableVersions: [UInt16]
        /// The stream's name pattern, e.g. `invitation-<invitationId>`.
        public var stream: String
        /// The current version's fields, in sorted key order.
        public var fields: [FieldEntry]
        /// The older versions' fields.
        public var olderFields: [(version: UInt16, fields: [FieldEntry])]
        let foundationDecode: @Sendable (Decoding) throws(EventDecodingError) -> MarketplaceEvent
    }

    /// One field of an entry, for the documentation.
    public struct FieldEntry: Sendable, Hashable {
        public var name: String
        public var kind: String
        public var isOptional: Bool

        init<Payload>(_ field: PayloadField<Payload>) {
            name = field.name
            kind = field.kind
            isOptional = field.isOptional
        }
    }

    /// Every event type, in catalogue order.
    public static let entries: [Entry] = MarketplaceEvent.declared

    /// The entries' type names and decoders apart from the entries: the decoding of each event looks a
    /// type up, and a scan of names, lengths compared first (most differ in length), costs less than
    /// hashing the name or copying entries (decode benchmark).
    private static let typeNames = entries.map(\.type)
    private static let foundationDecoders = entries.map(\.foundationDecode)

    private static let typeNameLengths = typeNames.map(\.utf8.count)

    private static func index(of type: String) -> Int? {
        let length = type.utf8.count
        for index in typeNames.indices where typeNameLengths[index] == length && typeNames[index] == type { return index }
        return nil
    }

    /// Decodes a stored event with the fast reader (falling back to `JSONDecoder` if the payload uses JSON the
    /// fast reader does not handle), running upcasters for old versions.
    public static func decode(type: String, schemaVersion: UInt16, payload: [UInt8]) throws(EventDecodingError) -> MarketplaceEvent {
        try payload.withUnsafeBytes { bytes in
            Result { () throws(EventDecodingError) in try decode(type: type, schemaVersion: schemaVersion, payloadBytes: bytes) }
        }.get()
    }

    /// `decode` of payload bytes borrowed from elsewhere (a read buffer), valid while it runs.
    public static func decode(type: String, schemaVersion: UInt16, payloadBytes: UnsafeRawBufferPointer) throws(EventDecodingError) -> MarketplaceEvent {
        do throws(FlatJSONError) {
            return try fastDecode(type: type, schemaVersion: schemaVersion, payload: payloadBytes.bindMemory(to: UInt8.self))
        } catch {
            return try decodeWithFoundation(type: type, schemaVersion: schemaVersion, payload: Array(payloadBytes))
        }
    }

    static func fastDecode(type: String, schemaVersion: UInt16, payload: [UInt8]) throws(FlatJSONError) -> MarketplaceEvent {
        let result: Result<MarketplaceEvent, FlatJSONError> = payload.withUnsafeBufferPointer { bytes in
            do throws(FlatJSONError) {
                return .success(try fastDecode(type: type, schemaVersion: schemaVersion, payload: bytes))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    static func fastDecode(type: String, schemaVersion: UInt16, payload: UnsafeBufferPointer<UInt8>) throws(FlatJSONError) -> MarketplaceEvent {
        guard let index = index(of: type) else { throw FlatJSONError("unknown type or version") }
        return try MarketplaceEvent.fastRead(entry: index, version: schemaVersion, payload)
    }

    /// Decodes a stored event with `JSONDecoder` (the reference for the fast reader), running upcasters.
    public static func decodeWithFoundation(type: String, schemaVersion: UInt16, payload: [UInt8]) throws(EventDecodingError) -> MarketplaceEvent {
        guard let index = index(of: type) else { throw .unknownType(type: type, schemaVersion: schemaVersion) }
        return try foundationDecoders[index](Decoding(type: type, schemaVersion: schemaVersion, payload: payload))
    }
}
