public import EventLog
public import Events
import GRDB

/// A projection of marketplace events: it names the event types it reads, and receives them decoded
/// (and upcast) by the catalogue. Events of other types are skipped without being decoded.
public protocol MarketplaceProjection: Projection {
    /// The event types `apply(_:envelope:in:)` handles.
    var eventTypes: Set<String> { get }
    func apply(_ event: MarketplaceEvent, envelope: EventEnvelope, in context: ProjectionContext) throws
}

/// What a marketplace projection reads of an event besides its payload.
public struct EventEnvelope: Sendable, Hashable {
    public var position: UInt64
    /// When the event's commit was recorded, in microseconds since 1970-01-01T00:00:00Z.
    public var recordedAtMicros: Int64

    public init(position: UInt64, recordedAtMicros: Int64) {
        self.position = position
        self.recordedAtMicros = recordedAtMicros
    }
}

extension MarketplaceProjection {
    public var handledEventTypes: Set<String>? { eventTypes }

    /// Decodes the event (the runner only passes the types in `eventTypes`) and applies it.
    public func apply(_ event: RecordedEvent, in context: ProjectionContext) throws {
        let decoded = try EventCatalogue.decode(type: event.type, schemaVersion: event.schemaVersion, payload: event.payload)
        try apply(decoded, envelope: EventEnvelope(position: event.position, recordedAtMicros: event.recordedAtMicros), in: context)
    }

    /// Decodes the event straight from the read buffer and applies it.
    public func apply(_ event: EventView, in context: ProjectionContext) throws {
        let decoded = try EventCatalogue.decode(type: event.type, schemaVersion: event.schemaVersion, payloadBytes: event.payload)
        try apply(decoded, envelope: EventEnvelope(position: event.position, recordedAtMicros: event.recordedAtMicros), in: context)
    }
}

extension ProjectionContext {
    /// Binds and runs the prepared statement in `slot`.
    func execute(_ slot: Int, _ sql: @autoclosure () -> String, _ bind: (FastStatement) -> Void) throws {
        let statement = try statement(slot, sql())
        bind(statement)
        try statement.execute()
    }

    /// Binds the statement in `slot` and reads its first row, if any.
    func queryRow<T>(_ slot: Int, _ sql: @autoclosure () -> String, _ bind: (FastStatement) -> Void,
                     _ read: (FastStatement) -> T) throws -> T? {
        let statement = try statement(slot, sql())
        bind(statement)
        defer { statement.reset() }
        return try statement.step() ? read(statement) : nil
    }
}
