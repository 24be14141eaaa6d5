import Dispatch
import EventLog
import Synchronization

/// Applies a stream of batches to several views, each view on its own serial queue, so that a view
/// never waits for a slower one: the only limit is that the reader stays at most `depth` batches
/// ahead of the slowest view (memory stays bounded by about `depth + 1` batches).
///
/// Each view applies the batches in order, one transaction per batch (see `CatchUpEngine.apply`).
/// After the first failure, every view stops before its next batch; `finish` waits for all of them
/// and rethrows the failure of the first view (in the order given) that failed.
final class ViewPipeline: @unchecked Sendable {
    private let workers: [Worker]
    private let stopped = Atomic<Bool>(false)
    private let group = DispatchGroup()

    init(targets: [ProjectionTarget], depth: Int) {
        workers = targets.map { Worker(target: $0, depth: max(1, depth)) }
    }

    /// False once a view has failed: stop reading.
    var isRunning: Bool { !stopped.load(ordering: .acquiring) }

    /// Queues `batch` for every view; waits while a view already has `depth` batches queued.
    func submit(_ batch: EventChunk) {
        for worker in workers {
            worker.slots.wait()
            group.enter()
            worker.queue.async { [self] in
                defer {
                    worker.slots.signal()
                    group.leave()
                }
                guard isRunning else { return }
                do {
                    try CatchUpEngine.apply(batch, to: worker.target)
                    worker.state.withLock {
                        $0.applied += UInt64(batch.count)
                        $0.position = batch.last?.position ?? $0.position
                    }
                } catch {
                    worker.state.withLock { $0.failure = error }
                    stopped.store(true, ordering: .releasing)
                }
            }
        }
    }

    /// How far the slowest view has come: events applied and the last position applied.
    var slowest: (applied: UInt64, position: UInt64) {
        let progress = workers.map { worker in worker.state.withLock { ($0.applied, $0.position) } }
        return progress.min { $0.0 < $1.0 } ?? (0, 0)
    }

    /// Stops the views before their next batch (after a read error).
    func stop() {
        stopped.store(true, ordering: .releasing)
    }

    /// Waits for every view to apply what was queued (or to stop), then rethrows the first failure.
    func finish() throws {
        group.wait()
        for worker in workers {
            if let failure = worker.state.withLock({ $0.failure }) { throw failure }
        }
    }

    private final class Worker: Sendable {
        let target: ProjectionTarget
        let queue: DispatchQueue
        let slots: DispatchSemaphore
        let state = Mutex<(applied: UInt64, position: UInt64, failure: (any Error)?)>((0, 0, nil))

        init(target: ProjectionTarget, depth: Int) {
            self.target = target
            queue = DispatchQueue(label: "teamlog.view.\(target.projection.name)")
            slots = DispatchSemaphore(value: depth)
        }
    }
}
