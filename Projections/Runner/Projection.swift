public import EventLog
import GRDB

/// A read model: a name, a schema version, its SQL schema, and a function from an event to row changes.
///
/// The runner calls `apply` once per event, in log order, inside a transaction that also moves the
/// view's checkpoint: an event is applied exactly once, whatever the crashes. A projection must be
/// deterministic: the same events give the same rows (a rebuild's fingerprint is compared with the
/// live view's to check it).
public protocol Projection: Sendable {
    /// Unique and stable across releases: the view's file is `views/<name>.sqlite`.
    var name: String { get }
    /// Bump it whenever `schema` or `apply` changes what the view holds: the view is then rebuilt
    /// from the whole log (once), while the old file keeps answering queries.
    var schemaVersion: Int { get }
    /// The statements that create the view's tables and indexes in an empty database. Table names
    /// are unique across all projections (an as-of replay writes every view into one file).
    var schema: [String] { get }
    /// Indexes only queries need (not `apply`): a rebuild or a replay creates them after loading the
    /// rows, which is much faster than keeping them up to date row by row.
    var queryIndexes: [String] { get }
    /// The view's tables, for fingerprints, row counts and replays.
    var tables: [String] { get }
    /// The event types `apply` reads; the runner skips the others without calling it. Nil: every type.
    var handledEventTypes: Set<String>? { get }
    /// Applies one event's row changes, through `context.db` or the context's prepared statements.
    func apply(_ event: RecordedEvent, in context: ProjectionContext) throws
    /// The same, for an event borrowed from the log's read buffer (valid during the call). The runner
    /// passes events this way when it reads an `EventLog`; the default makes an owned copy.
    func apply(_ event: EventView, in context: ProjectionContext) throws
}

extension Projection {
    public var queryIndexes: [String] { [] }
    public var handledEventTypes: Set<String>? { nil }

    public func apply(_ event: EventView, in context: ProjectionContext) throws {
        try apply(event.recordedEvent(), in: context)
    }
}
