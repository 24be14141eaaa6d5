/// One event type of the catalogue: a past-tense fact with a stable persisted name and a schema version,
/// described once by its `declaration` (name, version, fields, stream, older versions).
///
/// Payloads are flat JSON objects written with sorted keys (`FlatJSONWriter`), readable by the fast
/// reader (`FlatJSONReader`, through the declaration's fields) and by `JSONDecoder` (the reference) alike.
public protocol EventPayload: FieldListed, Codable {
    static var declaration: EventDeclaration<Self> { get }
    /// The stored properties as fields, in sorted key order: generated from Events/catalogue.json.
    static var payloadFields: [PayloadField<Self>] { get }
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
