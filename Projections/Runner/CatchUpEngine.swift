import Dispatch
import EventLog
import GRDB
import PosixFiles
import Synchronization

/// A view being brought forward: its projection and the file that holds its rows and checkpoint.
struct ProjectionTarget: Sendable {
    let projection: any Projection
    let file: ViewFile
    /// Called in each of the view's transactions (catch-up only: a rebuild or a replay has none).
    var commitHook: (any ViewCommitHook)? = nil
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
    func run(store: any EventStoreReader, targets: [ProjectionTarget], filter: EventFilter = .all) throws -> UInt64 {
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
            while let batch = try reader.next(), let last = batch.last {
                for target in targets { try Self.apply(batch, to: target) }
                applied += UInt64(batch.count)
                report(position: last.position, applied: applied)
            }
            return applied
        }
        // Each view applies batches on its own queue while this thread reads the next ones.
        let pipeline = ViewPipeline(targets: targets, depth: Self.pipelineDepth)
        var read: UInt64 = 0
        do {
            while pipeline.isRunning, let batch = try reader.next() {
                pipeline.submit(batch)
                read += UInt64(batch.count)
                let slowest = pipeline.slowest
                if slowest.applied > 0 { report(position: slowest.position, applied: slowest.applied) }
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
    static func apply(_ batch: EventChunk, to target: ProjectionTarget) throws {
        do {
            try applyInTransaction(batch, to: target)
        } catch {
            // A full or read-only file is not the event's fault, nor is any other failure of the file:
            // name this view and its file, with the typed cause (a projector's own failure is `.apply`).
            let path = target.file.path
            if let failure = ProjectionError.storage(error, path: path) { throw failure }
            if let error = error as? ProjectionError { throw error }
            throw ProjectionError.database(view: target.projection.name, path: path,
                                           cause: StorageFailure(error, operation: "writing", path: path))
        }
    }

    private static func applyInTransaction(_ batch: EventChunk, to target: ProjectionTarget) throws {
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
                    try target.commitHook?.willApply(view: projection, db: db, checkpoint: checkpoint)
                    let context = target.context.context(for: db)
                    for index in 0..<batch.count where interest[batch.typeId(at: index)] && batch.position(at: index) > checkpoint {
                        try batch.apply(index, to: projection, in: context)
                    }
                    try CheckpointTable.advance(db, view: projection.name, position: last.position,
                                                recordedAtMicros: last.recordedAtMicros)
                    try target.commitHook?.willCommit(view: projection, db: db, from: checkpoint, to: last.position,
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

extension EventChunk {
    /// Whether SQLite failed because of the file (full, read-only, I/O, damaged), by the same
    /// classification the runner reports with (`StorageFailure.kind`), rather than the statement.
    static func isFileFailure(_ error: DatabaseError) -> Bool {
        let code = StorageFailure.Code.sqlite(primary: error.resultCode.rawValue, extended: error.extendedResultCode.rawValue)
        return StorageFailure(code: code, operation: "applying").kind != .other
    }

    /// Applies the event at `index` to `projection`, borrowed from the chunk; a failure names the event
    /// (`ProjectionError.apply`).
    func apply(_ index: Int, to projection: any Projection, in context: ProjectionContext) throws {
        try withEvent(at: index) { event in
            do {
                try projection.apply(event, in: context)
            } catch let error as DatabaseError where Self.isFileFailure(error) {
                // A full disk, a read-only file, an I/O error or a damaged file is not the event's fault:
                // the caller names the file.
                throw error
            } catch {
                throw ProjectionError.apply(view: projection.name, position: event.position, type: event.type,
                                            reason: ProjectionError.describe(error))
            }
        }
    }
}

/// Reads the log a chunk of whole commits at a time (`EventStoreReader.readChunks`), about `batchSize`
/// events each; the views read the events in place.
final class BatchReader {
    private let reader: EventChunkReader
    private let batchSize: Int

    init(store: any EventStoreReader, from: UInt64, filter: EventFilter, batchSize: Int) throws {
        reader = try store.readChunks(from: from, filter: filter)
        self.batchSize = max(1, batchSize)
    }

    /// Bytes of commit records per chunk, for about `batchSize` events (they average about 260 bytes).
    private var chunkBytes: Int { batchSize * 256 }

    /// The next chunk, nil at the end of the read.
    func next() throws -> EventChunk? {
        try reader.next(targetBytes: chunkBytes)
    }
}
