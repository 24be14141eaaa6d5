import Synchronization

/// An `EventStore` in memory: the same rules, positions and hash chain as `EventLog`, no files.
/// For tests of code that appends and reads, and for what-if decisions.
public final class InMemoryEventStore: EventStore {
    private final class State {
        /// Each commit's record as a segment holds it (encoded once, at append: the hash chain and the
        /// chunked read use the same bytes) and its last position.
        var records: [MemoryRecordSource.Record] = []
        var events: [RecordedEvent] = []
        var versions: [String: UInt64] = [:]
        var commands: [String: CommitResult] = [:]
        var chain = HashChain()
        var lastMicros: Int64 = 0
    }

    private let state = Mutex(State())
    public let storeId: StoreID
    /// Source of "now" for recorded-at times (tests may pin it).
    private let clock: @Sendable () -> Int64

    public init(storeId: StoreID = .random(), clock: @escaping @Sendable () -> Int64 = { WallClock.nowMicros() }) {
        self.storeId = storeId
        self.clock = clock
    }

    public func append(_ commit: ProposedCommit) throws(EventLogError) -> CommitResult {
        switch try appendBatch([commit])[0] {
        case .success(let result): return result
        case .failure(let error): throw error
        }
    }

    public func appendBatch(_ commits: [ProposedCommit]) throws(EventLogError) -> [Result<CommitResult, EventLogError>] {
        let now = clock()
        let storeId = storeId
        return state.withLock { locked in
            let state = locked
            var planner = CommitPlanner(
                nextPosition: UInt64(state.events.count) + 1, lastMicros: state.lastMicros,
                committedVersion: { stream throws(EventLogError) in state.versions[stream] ?? 0 },
                committedCommand: { id throws(EventLogError) in state.commands[id] })
            return planner.planEach(commits, nowMicros: now) { record, result in
                let bytes = record.encoded
                state.records.append(MemoryRecordSource.Record(lastPosition: record.lastPosition, bytes: bytes))
                state.events.append(contentsOf: record.recordedEvents(storeId: storeId))
                state.versions.merge(result.streamVersions) { _, new in new }
                if let id = record.commandId { state.commands[id] = result }
                state.chain.extend(with: bytes)
                state.lastMicros = result.recordedAtMicros
            }
        }
    }

    public func head() throws(EventLogError) -> LogHead {
        state.withLock { LogHead(position: UInt64($0.events.count), commits: UInt64($0.records.count), hash: $0.chain.value) }
    }

    public func streamVersion(_ stream: String) throws(EventLogError) -> UInt64 {
        state.withLock { $0.versions[stream] ?? 0 }
    }

    public func events(from position: UInt64, filter: EventFilter) throws(EventLogError) -> any EventCursor {
        let snapshot = state.withLock { $0.events }
        let start = Int(max(position, 1) - 1)
        return ArrayEventCursor(events: start < snapshot.count ? Array(snapshot[start...]) : [], filter: filter)
    }

    public func readChunks(from position: UInt64, filter: EventFilter) throws(EventLogError) -> EventChunkReader {
        let records = state.withLock { $0.records }
        return EventChunkReader(source: MemoryRecordSource(records: records, from: max(position, 1)), from: max(position, 1),
                                filter: filter, storeId: storeId)
    }
}

/// The commit records of an `InMemoryEventStore`, as of one instant, in the bytes a segment holds:
/// chunked reads of memory and of files go through the same decoding (`EventChunkReader`).
final class MemoryRecordSource: CommitRecordSource {
    struct Record: Sendable {
        var lastPosition: UInt64
        var bytes: [UInt8]
    }

    private let records: [Record]
    private var next: Int

    init(records: [Record], from position: UInt64) {
        self.records = records
        // The first commit that holds `position` or a later one (commits are in position order).
        var low = 0, high = records.count
        while low < high {
            let middle = (low + high) / 2
            if records[middle].lastPosition < position { low = middle + 1 } else { high = middle }
        }
        next = low
    }

    func nextChunk(into chunk: inout RecordChunk, targetBytes: Int) throws(EventLogError) -> Bool {
        chunk.bytes.removeAll(keepingCapacity: true)
        chunk.segment = "memory"
        while next < records.count, chunk.bytes.isEmpty || chunk.bytes.count < targetBytes {
            chunk.bytes.append(contentsOf: records[next].bytes)
            next += 1
        }
        return !chunk.bytes.isEmpty
    }
}

final class ArrayEventCursor: EventCursor {
    private var iterator: IndexingIterator<[RecordedEvent]>
    private let filter: EventFilter

    init(events: [RecordedEvent], filter: EventFilter) {
        self.iterator = events.makeIterator()
        self.filter = filter
    }

    func next() throws(EventLogError) -> RecordedEvent? {
        while let event = iterator.next() {
            if filter.isExhausted(position: event.position, micros: event.recordedAtMicros) { return nil }
            if filter.matches(stream: event.stream, type: event.type, actor: event.actor, micros: event.recordedAtMicros) {
                return event
            }
        }
        return nil
    }
}
