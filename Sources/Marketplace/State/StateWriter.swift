import Dispatch
import Synchronization

/// Writes the decision state's saves to its store on a background queue (write-behind), one at a
/// time and in order, so deciding the next commands overlaps with SQLite's work. Each save carries
/// its rows and checkpoint in one transaction, so a crash leaves the store at an older, consistent
/// checkpoint from which the state catches up with the log.
///
/// Used by one thread at a time (under `Marketplace`'s lock); the queue and the failure slot are the
/// only things shared with the background thread.
final class StateWriter: @unchecked Sendable {
    let store: any DecisionStateStore
    private let queue = DispatchQueue(label: "teamlog.decision-state.writer")
    private let group = DispatchGroup()
    private let failure = Mutex<MarketplaceError?>(nil)
    /// Write in the caller's thread instead (no overlap).
    let synchronous: Bool

    init(store: any DecisionStateStore, synchronous: Bool) {
        self.store = store
        self.synchronous = synchronous
    }

    /// Starts writing the rows `encode` yields (called on the writer's thread) and `checkpoint`, after
    /// any write still in flight.
    func submit(_ encode: @escaping @Sendable () -> [(key: String, value: [UInt8]?)], checkpoint: UInt64) throws(MarketplaceError) {
        try wait()
        if synchronous {
            try store.save(encode(), checkpoint: checkpoint)
            return
        }
        group.enter()
        queue.async { [self] in
            do throws(MarketplaceError) {
                try store.save(encode(), checkpoint: checkpoint)
            } catch {
                failure.withLock { $0 = error }
            }
            group.leave()
        }
    }

    /// Waits for the write in flight; throws (once) if a write failed.
    func wait() throws(MarketplaceError) {
        group.wait()
        try takeFailure()
    }

    /// Throws (once) if a finished write failed, without waiting.
    func takeFailure() throws(MarketplaceError) {
        let error = failure.withLock { slot -> MarketplaceError? in
            defer { slot = nil }
            return slot
        }
        if let error { throw error }
    }
}
