// The enum itself, one case per event type, is generated from Events/catalogue.json (Tools/CatalogueCodeGenerator).

extension MarketplaceEvent {
    /// The persisted type name.
    public var eventType: String { type(of: payload).eventType }
    /// The schema version this process writes.
    public var schemaVersion: UInt16 { type(of: payload).schemaVersion }
    /// The stream the event belongs to.
    public var stream: String { payload.stream }
    /// The deterministic JSON payload.
    public func encodedPayload() -> [UInt8] { payload.encodedPayload() }
}
