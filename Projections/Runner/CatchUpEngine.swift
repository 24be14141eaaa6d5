import Dispatch
import EventLog
import GRDB
import Synchronization

/// A view being brought forward: its projection and the file that holds its rows and checkpoint.
struct ProjectionTarget: Sendable {
    let projection: any Projection
    let file: ViewFile
    /// The projector's prepared statements, made on first use and kept for the whole run.
    let context = ContextHolder()
}

/// Holds a target's `ProjectionContext` between batches (only one thread uses a target at a time).
final class ContextHolder: @unchecked Sendable {
    var context: ProjectionContext?

    func context(for db: Database) -> ProjectionContext {
        if let context, context.db === db { return context }
        let made = ProjectionContext(db: db)
        context = made
        return made
    }

    func release() { context = nil }
}

/// Progress of long work, for a progress bar.
public struct ProjectionProgress: Sendable, Hashable {
    public enum Phase: String, Sendable, Hashable { case catchUp = "catch-up", rebuild, replay, verify }
    public var phase: Phase
    public var views: [String]
    /// The last position applied.
    public var position: UInt64
    /// The log's last position when the work started.
    public var headPosition: UInt64
    public var eventsApplied: UInt64
}

/// Streams the log into several views at once: reads a batch of events (memory bounded by the batch
/// size), then applies it to each view in one transaction per view that also moves the view's
/// checkpoint. Views are applied in parallel, each at its own pace (`ViewPipeline`), while the next
/// batches are read.
struct CatchUpEngine {
    var batchSize: Int
    var parallel: Bool
    var phase: ProjectionProgress.Phase
    var progress: (@Sendable (ProjectionProgress) -> Void)?

    /// Applies every event after each target's checkpoint that `filter` lets through; returns the
    /// number of events read from the log.
    @discardableResult
    func run(store: any EventStore, targets: [ProjectionTarget], filter: EventFilter = .all) throws -> UInt64 {
        guard !targets.isEmpty else { return 0 }
        var start = UInt64.max
        for target in targets {
            let checkpoint = try Self.naming(target) {
                try target.file.queue.read { db in try CheckpointTable.read(db, view: target.projection.name) }
            }
            start = min(start, checkpoint?.position ?? 0)
        }
        let head = try store.head().position
        if let until = filter.untilPosition, start >= until { return 0 }
        if start >= head { return 0 }
        let reader = try BatchReader(store: store, from: start + 1, filter: filter, batchSize: batchSize)
        let names = targets.map(\.projection.name)
        func report(position: UInt64, applied: UInt64) {
            progress?(ProjectionProgress(phase: phase, views: names, position: position, headPosition: head, eventsApplied: applied))
        }
        defer { for target in targets { target.context.release() } }
        guard parallel else {
            var applied: UInt64 = 0
            var batch = try reader.next()
            while let last = batch.last {
                for target in targets { try Self.apply(batch, to: target) }
                applied += UInt64(batch.count)
                report(position: last.position, applied: applied)
                batch = try reader.next()
            }
            return applied
        }
        // Each view applies batches on its own queue while this thread reads the next ones.
        let pipeline = ViewPipeline(targets: targets, depth: Self.pipelineDepth)
        var read: UInt64 = 0
        do {
            var batch = try reader.next()
            while pipeline.isRunning, batch.count > 0 {
                pipeline.submit(batch)
                read += UInt64(batch.count)
                let slowest = pipeline.slowest
                if slowest.applied > 0 { report(position: slowest.position, applied: slowest.applied) }
                batch = try reader.next()
            }
        } catch {
            pipeline.stop()
            try? pipeline.finish()
            throw error
        }
        try pipeline.finish()
        let slowest = pipeline.slowest
        if slowest.applied > 0 { report(position: slowest.position, applied: slowest.applied) }
        return read
    }

    /// Batches the reader may be ahead of the slowest view.
    static let pipelineDepth = 2

    /// Runs `body` for each target, in parallel; rethrows the first target's error.
    static func forEachConcurrently(_ targets: [ProjectionTarget], _ body: @Sendable (ProjectionTarget) throws -> Void) throws {
        if targets.count == 1 {
            try body(targets[0])
            return
        }
        let failures = Mutex<[Int: any Error]>([:])
        DispatchQueue.concurrentPerform(iterations: targets.count) { index in
            do {
                try body(targets[index])
            } catch {
                failures.withLock { $0[index] = error }
            }
        }
        let first = failures.withLock { $0.sorted { $0.key < $1.key }.first?.value }
        if let first { throw first }
    }

    /// One transaction: the events after the view's checkpoint, then the checkpoint itself.
    static func apply(_ batch: EventBatch, to target: ProjectionTarget) throws {
        do {
            try applyInTransaction(batch, to: target)
        } catch {
            // A full disk is not the event's fault: name the file that could not be written.
            throw ProjectionError.diskFull(error, path: target.file.path) ?? error
        }
    }

    private static func applyInTransaction(_ batch: EventBatch, to target: ProjectionTarget) throws {
        guard let last = batch.last else { return }
        let projection = target.projection
        // Which of the batch's event types this projection reads (nil: all).
        let handled = projection.handledEventTypes
        let interest = batch.typeNames.map { handled?.contains($0) ?? true }
        try naming(target) {
            try target.file.queue.inDatabase { db in
                try db.inTransaction(.immediate) {
                    // Re-read inside the transaction: another process may have moved the view meanwhile.
                    let checkpoint = try CheckpointTable.read(db, view: projection.name)?.position ?? 0
                    guard last.position > checkpoint else { return .rollback }
                    let context = target.context.context(for: db)
                    for index in 0..<batch.count where interest[batch.typeId(at: index)] && batch.position(at: index) > checkpoint {
                        try batch.apply(index, to: projection, in: context)
                    }
                    try CheckpointTable.advance(db, view: projection.name, position: last.position,
                                                recordedAtMicros: last.recordedAtMicros)
                    return .commit
                }
            }
        }
    }

    /// Runs `body` on a target's file; another process holding the file's lock past the busy timeout
    /// becomes `ProjectionError.viewBusy` naming the view.
    static func naming<T>(_ target: ProjectionTarget, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch where ProjectionError.isBusy(error) {
            throw ProjectionError.viewBusy(view: target.projection.name, path: target.file.path, seconds: target.file.busyTimeout)
        }
    }
}

/// A batch of events read from the log, with each event's type as a small number (so that each view
/// tells the types it reads by an array lookup instead of hashing the type name): a chunk of the log
/// read in place (`EventChunk`, which numbers its own types), or owned events from another store.
struct EventBatch: Sendable {
    private enum Content: Sendable {
        case chunk(EventChunk)
        /// `typeIds[i]` indexes `typeNames` for `events[i]`.
        case owned(events: [RecordedEvent], typeIds: [Int], typeNames: [String])
    }

    private let content: Content

    init(chunk: EventChunk) { content = .chunk(chunk) }
    init(events: [RecordedEvent], typeIds: [Int], typeNames: [String]) {
        content = .owned(events: events, typeIds: typeIds, typeNames: typeNames)
    }

    /// No events: the end of the read.
    static let empty = EventBatch(events: [], typeIds: [], typeNames: [])

    var count: Int {
        switch content {
        case .chunk(let chunk): chunk.count
        case .owned(let events, _, _): events.count
        }
    }

    /// The names that `typeId(at:)` indexes.
    var typeNames: [String] {
        switch content {
        case .chunk(let chunk): chunk.typeNames
        case .owned(_, _, let typeNames): typeNames
        }
    }

    func typeId(at index: Int) -> Int {
        switch content {
        case .chunk(let chunk): chunk.typeId(at: index)
        case .owned(_, let typeIds, _): typeIds[index]
        }
    }

    func position(at index: Int) -> UInt64 {
        switch content {
        case .chunk(let chunk): chunk.position(at: index)
        case .owned(let events, _, _): events[index].position
        }
    }

    var last: (position: UInt64, recordedAtMicros: Int64)? {
        switch content {
        case .chunk(let chunk): chunk.last
        case .owned(let events, _, _): events.last.map { ($0.position, $0.recordedAtMicros) }
        }
    }

    /// Applies the event at `index` to `projection`: borrowed from the chunk, or the owned event; a
    /// failure names the event (`ProjectionError.apply`).
    func apply(_ index: Int, to projection: any Projection, in context: ProjectionContext) throws {
        func failed(_ error: any Error, _ position: UInt64, _ type: String) -> any Error {
            // Neither a full disk nor an I/O error is the event's fault: the caller names the file.
            if let error = error as? DatabaseError, [.SQLITE_FULL, .SQLITE_IOERR, .SQLITE_CANTOPEN].contains(error.resultCode) {
                return error
            }
            return ProjectionError.apply(view: projection.name, position: position, type: type, reason: ProjectionError.describe(error))
        }
        switch content {
        case .chunk(let chunk):
            try chunk.withEvent(at: index) { event in
                do { try projection.apply(event, in: context) } catch { throw failed(error, event.position, event.type) }
            }
        case .owned(let events, _, _):
            let event = events[index]
            do { try projection.apply(event, in: context) } catch { throw failed(error, event.position, event.type) }
        }
    }
}

/// Reads the log a batch at a time: from an `EventLog`, in indexed chunks that the views read in place;
/// from another store, as owned events.
final class BatchReader {
    private let source: Source
    private let batchSize: Int
    private var types = EventTypeNumbering()

    private enum Source {
        case chunks(EventChunkReader)
        case cursor(any EventCursor)
    }

    init(store: any EventStore, from: UInt64, filter: EventFilter, batchSize: Int) throws {
        source = if let log = store as? EventLog {
            .chunks(try log.readChunks(from: from, filter: filter))
        } else {
            .cursor(try store.events(from: from, filter: filter))
        }
        self.batchSize = max(1, batchSize)
    }

    /// Bytes of commit records per chunk, for about `batchSize` events (they average about 260 bytes).
    private var chunkBytes: Int { batchSize * 256 }

    func next() throws -> EventBatch {
        switch source {
        case .chunks(let reader):
            guard let chunk = try reader.next(targetBytes: chunkBytes) else { return .empty }
            return EventBatch(chunk: chunk)
        case .cursor(let cursor):
            var events: [RecordedEvent] = []
            var typeIds: [Int] = []
            events.reserveCapacity(batchSize)
            typeIds.reserveCapacity(batchSize)
            while events.count < batchSize, let event = try cursor.next() {
                typeIds.append(types.id(of: event.type))
                events.append(event)
            }
            return EventBatch(events: events, typeIds: typeIds, typeNames: types.names)
        }
    }
}
