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
    public enum Phase: String, Sendable, Hashable { case catchUp = "catch-up", rebuild, replay }
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
/// checkpoint. Views are applied in parallel; a batch is read while the previous one is applied.
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
            let checkpoint = try target.file.queue.read { db in
                try CheckpointTable.read(db, view: target.projection.name)
            }
            start = min(start, checkpoint?.position ?? 0)
        }
        let head = try store.head().position
        if let until = filter.untilPosition, start >= until { return 0 }
        if start >= head { return 0 }
        let cursor = try store.events(from: start + 1, filter: filter)
        let reader = BatchReader(cursor: cursor, batchSize: batchSize)
        let names = targets.map(\.projection.name)
        var applied: UInt64 = 0
        var batch = try reader.next()
        while !batch.isEmpty {
            // Read the next batch on this thread while the views apply the current one.
            let current = batch
            let pending = parallel ? ApplyInBackground(targets: targets, batch: current) : nil
            if pending == nil { try Self.apply(current, to: targets) }
            batch = try reader.next()
            try pending?.wait()
            applied += UInt64(current.count)
            if let progress, let last = current.last {
                progress(ProjectionProgress(phase: phase, views: names, position: last.position,
                                            headPosition: head, eventsApplied: applied))
            }
        }
        for target in targets { target.context.release() }
        return applied
    }

    /// Applies one batch to every target, each in its own transaction, in parallel.
    static func apply(_ batch: [RecordedEvent], to targets: [ProjectionTarget]) throws {
        if targets.count == 1 {
            try apply(batch, to: targets[0])
            return
        }
        let failures = Mutex<[Int: any Error]>([:])
        DispatchQueue.concurrentPerform(iterations: targets.count) { index in
            do {
                try apply(batch, to: targets[index])
            } catch {
                failures.withLock { $0[index] = error }
            }
        }
        let first = failures.withLock { $0.sorted { $0.key < $1.key }.first?.value }
        if let first { throw first }
    }

    /// One transaction: the events after the view's checkpoint, then the checkpoint itself.
    static func apply(_ batch: [RecordedEvent], to target: ProjectionTarget) throws {
        guard let last = batch.last else { return }
        let projection = target.projection
        try target.file.queue.inDatabase { db in
            try db.inTransaction(.immediate) {
                // Re-read inside the transaction: another process may have moved the view meanwhile.
                let checkpoint = try CheckpointTable.read(db, view: projection.name)?.position ?? 0
                guard last.position > checkpoint else { return .rollback }
                let context = target.context.context(for: db)
                var index = batch.startIndex
                while index < batch.endIndex, batch[index].position <= checkpoint { index += 1 }
                while index < batch.endIndex {
                    do {
                        try projection.apply(batch[index], in: context)
                    } catch {
                        throw ProjectionError.apply(view: projection.name, position: batch[index].position, type: batch[index].type,
                                                    reason: ProjectionError.describe(error))
                    }
                    index += 1
                }
                try CheckpointTable.advance(db, view: projection.name, position: last.position,
                                            recordedAtMicros: last.recordedAtMicros)
                return .commit
            }
        }
    }
}

/// Reads the log a batch at a time.
final class BatchReader {
    private let cursor: any EventCursor
    private let batchSize: Int

    init(cursor: any EventCursor, batchSize: Int) {
        self.cursor = cursor
        self.batchSize = max(1, batchSize)
    }

    func next() throws -> [RecordedEvent] {
        var batch: [RecordedEvent] = []
        batch.reserveCapacity(batchSize)
        while batch.count < batchSize, let event = try cursor.next() {
            batch.append(event)
        }
        return batch
    }
}

/// Applies a batch on a background thread; `wait` returns when it is done and rethrows its error.
final class ApplyInBackground: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let failure = Mutex<(any Error)?>(nil)

    init(targets: [ProjectionTarget], batch: [RecordedEvent]) {
        DispatchQueue.global().async { self.run(targets: targets, batch: batch) }
    }

    private func run(targets: [ProjectionTarget], batch: [RecordedEvent]) {
        do {
            try CatchUpEngine.apply(batch, to: targets)
        } catch {
            failure.withLock { $0 = error }
        }
        done.signal()
    }

    func wait() throws {
        done.wait()
        if let error = failure.withLock({ $0 }) { throw error }
    }
}
