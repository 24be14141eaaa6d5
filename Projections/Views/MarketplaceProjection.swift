import EventLog
import Events
import GRDB

/// A projection of marketplace events: it names the event types it reads, and receives them decoded
/// (and upcast) by the catalogue. Events of other types are skipped without being decoded.
public protocol MarketplaceProjection: Projection {
    /// The event types `apply(_:envelope:in:)` handles.
    var eventTypes: Set<String> { get }
    func apply(_ event: MarketplaceEvent, envelope: RecordedEvent, in db: Database) throws
}

extension MarketplaceProjection {
    public func apply(_ event: RecordedEvent, in db: Database) throws {
        guard eventTypes.contains(event.type) else { return }
        let decoded = try EventCatalogue.decode(type: event.type, schemaVersion: event.schemaVersion, payload: event.payload)
        try apply(decoded, envelope: event, in: db)
    }
}

extension Database {
    /// Runs one statement from the connection's statement cache.
    func run(_ sql: String, _ arguments: StatementArguments) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
