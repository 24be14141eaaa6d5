/// One event type of the catalogue: a past-tense fact with a stable persisted name and a schema version.
///
/// Payloads are flat JSON objects written with sorted keys (`FlatJSONWriter`), readable by the fast
/// reader (`FlatJSONReader`) and by `JSONDecoder` (the reference) alike.
public protocol EventPayload: Codable, Sendable, Hashable {
    /// The persisted type name (`ProposedEvent.type`); never changes once shipped.
    static var eventType: String { get }
    /// The current schema version (`ProposedEvent.schemaVersion`).
    static var schemaVersion: UInt16 { get }
    /// The stream the event belongs to (see `StreamName`).
    var stream: String { get }
    /// Reads the payload with the fast reader.
    init(reading reader: inout FlatJSONReader) throws(FlatJSONError)
    /// Writes the payload's fields in sorted key order.
    func write(to writer: inout FlatJSONWriter)
    /// The event wrapped in the catalogue's enum.
    var event: MarketplaceEvent { get }
}

extension EventPayload {
    /// The deterministic JSON payload (sorted keys, no whitespace).
    public func encodedPayload() -> [UInt8] {
        var writer = FlatJSONWriter()
        write(to: &writer)
        return writer.finish()
    }

    /// Reads a payload of the current version with the fast reader.
    public static func fastDecode(_ payload: [UInt8]) throws(FlatJSONError) -> Self {
        try FlatJSONReader.read(payload) { reader throws(FlatJSONError) in try Self(reading: &reader) }
    }

    /// Reads a payload of the current version, borrowed, with the fast reader.
    public static func fastDecode(_ payload: UnsafeBufferPointer<UInt8>) throws(FlatJSONError) -> Self {
        try FlatJSONReader.read(payload) { reader throws(FlatJSONError) in try Self(reading: &reader) }
    }
}
