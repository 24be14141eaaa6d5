/// One event type of the catalogue: a past-tense fact with a stable persisted name and a schema version,
/// described once by its `declaration` (name, version, fields, stream, older versions).
///
/// Payloads are flat JSON objects written with sorted keys (`FlatJSONWriter`), readable by the fast
/// reader (`FlatJSONReader`, through each type's generated `fastRead`) and by `JSONDecoder` (the reference) alike.
public protocol EventPayload: EventPayloadVersion {
    static var declaration: EventDeclaration<Self> { get }
}

/// One version of an event type's payload (today's, or an older one still read): its fields and its own
/// fast reader, both generated from Events/catalogue.json.
public protocol EventPayloadVersion: FieldListed, Codable {
    /// The stored properties as fields, in sorted key order (the writer's, and the documentation's).
    static var payloadFields: [PayloadField<Self>] { get }
    /// Reads a payload with the fast reader: keys in any order (sorted order is the fast path), unknown
    /// keys skipped, a repeated key keeps its last value, a required field left out is an error.
    static func fastRead(_ bytes: UnsafeBufferPointer<UInt8>) throws(FlatJSONError) -> Self
}

extension EventPayload {
    /// The persisted type name (`ProposedEvent.type`); never changes once shipped.
    public static var eventType: String { declaration.type }
    /// The current schema version (`ProposedEvent.schemaVersion`).
    public static var schemaVersion: UInt16 { declaration.version }
    /// The stream the event belongs to (see `StreamName`).
    public var stream: String { Self.declaration.stream(of: self) }
    /// The event wrapped in the catalogue's enum.
    public var event: MarketplaceEvent { Self.declaration.wrap(self) }

    /// The deterministic JSON payload (sorted keys, no whitespace).
    @inlinable public func encodedPayload() -> [UInt8] { Self.declaration.fields.write(self) }
}
