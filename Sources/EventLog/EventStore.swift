/// The log's read side: what a reader of the log (a projection, a query, an audit) may do. It cannot
/// append; code that only reads takes this protocol, so that it cannot write by mistake.
/// Implemented by the file-backed `EventLog` and the in-memory `InMemoryEventStore`, with the same reads.
public protocol EventStoreReader: AnyObject, Sendable {
    /// The store's identity: what is derived from it (a view file, say) records it, so that a file
    /// from another store is never taken for this one's.
    var storeId: StoreID { get }

    /// The current end of the log (refreshed: sees commits made by other processes).
    func head() throws(EventLogError) -> LogHead

    /// The stream's current version (0 when it has no events).
    func streamVersion(_ stream: String) throws(EventLogError) -> UInt64

    /// A streaming cursor over the events from `position` (inclusive) that match `filter`.
    func events(from position: UInt64, filter: EventFilter) throws(EventLogError) -> any EventCursor

    /// The same read as `events(from:filter:)`, in chunks of whole commits, each indexed (`EventChunk`):
    /// what projections read, borrowing each event in place instead of copying it.
    func readChunks(from position: UInt64, filter: EventFilter) throws(EventLogError) -> EventChunkReader
}

/// The log's whole contract: the read side and the append side. Only the code that decides commands
/// (the Marketplace) holds one; everything else takes an `EventStoreReader`.
/// Write code against this protocol; test it against both implementations.
public protocol EventStore: EventStoreReader {
    /// Appends one commit atomically (all its events or none), after checking its expectations.
    /// A commit whose command id is already in the log appends nothing and returns the first result.
    func append(_ commit: ProposedCommit) throws(EventLogError) -> CommitResult

    /// Appends several commits with one durable write; each commit is checked and applied on its own
    /// (one commit's conflict does not reject the others), in order.
    func appendBatch(_ commits: [ProposedCommit]) throws(EventLogError) -> [Result<CommitResult, EventLogError>]
}

extension EventStoreReader {
    public func events(from position: UInt64 = 1) throws(EventLogError) -> any EventCursor {
        try events(from: position, filter: .all)
    }

    public func readChunks(from position: UInt64 = 1) throws(EventLogError) -> EventChunkReader {
        try readChunks(from: position, filter: .all)
    }
}

/// Streams events one at a time; memory does not grow with the log's length.
public protocol EventCursor: AnyObject {
    /// The next matching event, or nil at the end of the log (as it was when the cursor reached it).
    func next() throws(EventLogError) -> RecordedEvent?
}

extension EventCursor {
    /// Reads all remaining events into an array (for tests and small logs).
    public func collect() throws(EventLogError) -> [RecordedEvent] {
        var all: [RecordedEvent] = []
        while let event = try next() { all.append(event) }
        return all
    }
}
