import Dispatch
import EventLog
import Events
import Foundation

/// Pipelined execution: `submitBatch` decides a batch while the batch before it is being written and
/// synced on a background thread, so deciding and the log's durable write overlap (two cores do two
/// things). Results come back in submission order, each batch's only once its commits are durable.
extension Marketplace {
    /// The results of one submitted batch, in the order of its commands.
    public typealias BatchResults = [Result<CommandOutcome, MarketplaceError>]

    /// Decides `envelopes` (each command sees the effects of every command submitted before it) and
    /// starts appending the accepted ones with one durable write in the background. Returns the batches
    /// completed since the last call, in submission order: normally the previous batch, once it is on disk.
    ///
    /// When the log did not append a batch as predicted (another process appended in between), the
    /// state goes back to the log and the batch decided after it is decided again before it is appended,
    /// so no command is ever appended on a stale decision. A failing log throws: the one passed in is then
    /// not appended at all, and the batch in flight comes back (from the next call) with the log's error
    /// for each command it was to append.
    /// Call `completeSubmitted()` after the last batch. Any other call on the marketplace first waits for
    /// the batch in flight (its results are kept for the next `submitBatch` or `completeSubmitted`).
    public func submitBatch(_ envelopes: [CommandEnvelope]) throws(MarketplaceError) -> [BatchResults] {
        lock.lock(); defer { lock.unlock() }
        if submitted != nil, state.unsavedEvents >= options.checkpointEveryEvents {
            // A checkpoint is due: it may only cover durable commits, so let the batch in flight land first.
            try completeSubmittedLocked()
        }
        if submitted == nil {
            try state.checkWrites()
            try catchUpLocked()
        }
        var batch: DecidedBatch
        do throws(MarketplaceError) {
            batch = try decideLocked(envelopes)
        } catch {
            // The state went back to what is saved; settle the batch in flight so its results are kept.
            _ = try? settleSubmittedLocked()
            throw error
        }
        if submitted != nil {
            // Settling may roll the state back to the log: the new batch's decisions then go with it.
            if try settleSubmittedLocked() {
                // The new batch was decided on top of a prediction that did not come true: decide again.
                batch = try decideLocked(envelopes)
            }
        }
        let decided = batch
        let appending = SubmittedBatch(batch: decided)
        // Unowned: the marketplace outlives the append (it waits for it before going away), and the
        // background block must never be the log's last owner, or the log would close on that thread,
        // perhaps after the process has exited.
        let observer = durableWriteObserver
        appending.start { [unowned store] () throws(MarketplaceError) in
            let started = DispatchTime.now().uptimeNanoseconds
            defer { observer?(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9) }
            return try Marketplace.append(decided, to: store)
        }
        submitted = appending
        return takeCompleted()
    }

    /// Waits for the batch in flight and returns every batch completed and not yet handed out.
    public func completeSubmitted() throws(MarketplaceError) -> [BatchResults] {
        lock.lock(); defer { lock.unlock() }
        try completeSubmittedLocked()
        return takeCompleted()
    }

    /// Settles the batch in flight, if any, and saves the state if a save is due (everything applied is durable).
    func completeSubmittedLocked() throws(MarketplaceError) {
        guard submitted != nil else { return }
        _ = try settleSubmittedLocked()
        try saveIfDue()
    }

    /// Waits for the batch in flight and settles it; its results join `completedBatches`. The state may
    /// hold decisions made after it: nothing is saved here. Returns whether the state was rolled back.
    private func settleSubmittedLocked() throws(MarketplaceError) -> Bool {
        guard let inFlight = submitted else { return false }
        submitted = nil
        let appended: [Result<CommitResult, EventLogError>]
        do throws(MarketplaceError) {
            appended = try inFlight.wait()
        } catch {
            // The batch still gets its results, in its place: each command that was to be appended fails
            // with the log's error (not acknowledged), so results never shift to other batches' commands.
            completedBatches.append(inFlight.batch.results(failingPendingWith: error))
            try state.discardUnsaved()
            throw error
        }
        let settled = try settleLocked(inFlight.batch, appended: appended, saveWhenDue: false)
        completedBatches.append(settled.results)
        return settled.rolledBack
    }

    private func takeCompleted() -> [BatchResults] {
        defer { completedBatches = [] }
        return completedBatches
    }
}

/// A decided batch: the results known before appending (rejections, duplicates) and the commits to append.
struct DecidedBatch: Sendable {
    struct Pending: Sendable {
        var index: Int
        var envelope: CommandEnvelope
        var decision: Decision

        var commandId: String? { envelope.commandId }
        var events: [MarketplaceEvent] { decision.events }

        /// Encodes the commit to append (called on the appending thread, in a pipeline).
        func proposedCommit() -> ProposedCommit {
            ProposedCommit(events: decision.proposedEvents(), expectations: decision.expectations, commandId: envelope.commandId,
                           correlationId: envelope.correlationId, actor: envelope.actor, principal: envelope.principal)
        }
    }

    var results: Marketplace.BatchResults
    var pending: [Pending]
    /// The log position the batch was decided on top of.
    var start: UInt64

    /// The batch's results when its append failed: rejections and duplicates as decided, `error` for the rest.
    func results(failingPendingWith error: MarketplaceError) -> Marketplace.BatchResults {
        var results = self.results
        for item in pending { results[item.index] = .failure(error) }
        return results
    }
}

/// What settling a batch gave: its results, and whether the state had to go back to the log.
struct SettledBatch {
    var results: Marketplace.BatchResults
    var rolledBack: Bool
}

/// A batch whose append runs on a background queue; `wait` returns what the log did.
final class SubmittedBatch: @unchecked Sendable {
    let batch: DecidedBatch
    private let done = DispatchSemaphore(value: 0)
    private var outcome: Result<[Result<CommitResult, EventLogError>], MarketplaceError> = .success([])
    private static let queue = DispatchQueue(label: "teamlog.marketplace.append", qos: .userInitiated)

    init(batch: DecidedBatch) {
        self.batch = batch
    }

    func start(_ append: @escaping @Sendable () throws(MarketplaceError) -> [Result<CommitResult, EventLogError>]) {
        Self.queue.async {
            do throws(MarketplaceError) { self.outcome = .success(try append()) } catch { self.outcome = .failure(error) }
            self.done.signal()
        }
    }

    func wait() throws(MarketplaceError) -> [Result<CommitResult, EventLogError>] {
        done.wait()
        return try outcome.get()
    }
}
