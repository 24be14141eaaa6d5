public import EventLog
import Events
import Foundation

/// Executes commands: catches up its decision state with the log (including commits by other
/// processes), decides, appends with expectations and the command id, and updates the state.
///
/// The decision state is checkpointed in a `DecisionStateStore` (SQLite in a store directory), so a
/// fresh process reads it back and replays only the events after the checkpoint. Thread-safe: calls are
/// serialized.
public final class Marketplace: @unchecked Sendable {
    public struct Options: Sendable, Hashable {
        /// Save the decision state once this many events were applied since the last save.
        public var checkpointEveryEvents: Int
        /// After a save, empty the in-memory cache when it holds more records than this.
        public var maxCachedRecords: Int

        /// Write the decision state's saves on a background queue, overlapping with the next decisions
        /// (`checkpoint()` still waits for its write).
        public var writeBehind: Bool

        public init(checkpointEveryEvents: Int = 50_000, maxCachedRecords: Int = 2_000_000, writeBehind: Bool = true) {
            self.checkpointEveryEvents = checkpointEveryEvents
            self.maxCachedRecords = maxCachedRecords
            self.writeBehind = writeBehind
        }
    }

    public let store: any EventStore
    public let options: Options
    let state: DecisionState
    private let ids: IdGenerator
    let lock = NSLock()
    /// The batch whose append runs in the background (`submitBatch`), and results not yet handed out.
    var submitted: SubmittedBatch?
    var completedBatches: [[Result<CommandOutcome, MarketplaceError>]] = []
    /// Told how long each pipelined batch's durable write took (encoding, append and fsync), in seconds,
    /// on the appending thread (a server's metrics). Set it before the first `submitBatch`.
    public var durableWriteObserver: (@Sendable (Double) -> Void)?

    public init(store: any EventStore, stateStore: any DecisionStateStore = InMemoryDecisionStateStore(),
                options: Options = Options(), ids: IdGenerator = .random) throws(MarketplaceError) {
        self.store = store
        self.options = options
        self.ids = ids
        state = try DecisionState(store: stateStore, writeBehind: options.writeBehind)
    }

    /// A marketplace over `store` whose decision state lives in `<storeDirectory>/state/decisions.sqlite`.
    public static func open(store: any EventStore, storeDirectory: String, options: Options = Options()) throws(MarketplaceError) -> Marketplace {
        try Marketplace(store: store, stateStore: try SQLiteDecisionStateStore(storeDirectory: storeDirectory), options: options)
    }

    deinit {
        // A batch still in flight must be settled first: the state must never be saved ahead of the log.
        try? completeSubmittedLocked()
        try? state.save(maxCachedRecords: options.maxCachedRecords, wait: true)
    }

    /// The last log position the decision state has applied.
    public var position: UInt64 {
        lock.lock(); defer { lock.unlock() }
        // A batch in flight counts once it is durable (if its append failed, its results say so).
        try? completeSubmittedLocked()
        return state.position
    }

    // MARK: Executing

    /// Executes one command. A rejected command appends nothing.
    public func execute(_ envelope: CommandEnvelope) throws(MarketplaceError) -> CommandOutcome {
        try executeBatch([envelope])[0].get()
    }

    /// Decides many commands in order, each seeing the effects of the ones before it, and appends the
    /// accepted ones with one durable write (`appendBatch`). Each result is the command's own: a rejection
    /// or conflict of one command does not affect the others. Throws only when the log or the state fails.
    public func executeBatch(_ envelopes: [CommandEnvelope]) throws(MarketplaceError) -> [Result<CommandOutcome, MarketplaceError>] {
        lock.lock(); defer { lock.unlock() }
        try completeSubmittedLocked()
        try state.checkWrites()
        try catchUpLocked()
        let batch = try decideLocked(envelopes)
        let appended = try Self.append(batch, to: store)
        return try settleLocked(batch, appended: appended).results
    }

    /// Decides the commands on the current state (which then includes their effects, unsaved).
    func decideLocked(_ envelopes: [CommandEnvelope]) throws(MarketplaceError) -> DecidedBatch {
        var batch = DecidedBatch(results: .init(repeating: .failure(.state("not executed")), count: envelopes.count),
                                 pending: [], start: state.position)
        var predicted = batch.start
        for (index, envelope) in envelopes.enumerated() {
            do throws(MarketplaceError) {
                do throws(CommandRejection) { try envelope.checkIdentifiers() } catch { throw .rejected(error) }
                if let commandId = envelope.commandId, let positions = try state.commandPositions(commandId) {
                    batch.results[index] = .success(CommandOutcome(commandId: commandId, events: [], positions: positions, isDuplicate: true))
                    continue
                }
                let command = envelope.command.fillingIds(ids)
                let decision = try Decider(state: state, actor: envelope.actor).decide(command)
                for event in decision.events { try state.apply(event) }
                let positions = (predicted + 1)...(predicted + UInt64(decision.events.count))
                predicted = positions.upperBound
                if let commandId = envelope.commandId { state.recordCommand(commandId, positions: positions) }
                state.advance(to: predicted)
                batch.pending.append(DecidedBatch.Pending(index: index, envelope: envelope, decision: decision))
            } catch {
                if case .rejected = error {
                    batch.results[index] = .failure(error)
                } else {
                    // The state may hold part of this command's effects: go back to the saved state.
                    try state.discardUnsaved()
                    throw error
                }
            }
        }
        return batch
    }

    /// Encodes a decided batch's events and appends its commits with one durable write. Touches nothing
    /// but the log, so it may run on another thread while the next batch is decided.
    static func append(_ batch: DecidedBatch, to store: any EventStore) throws(MarketplaceError) -> [Result<CommitResult, EventLogError>] {
        guard !batch.pending.isEmpty else { return [] }
        let commits = batch.pending.map { $0.proposedCommit() }
        return try log { () throws(EventLogError) in try store.appendBatch(commits) }
    }

    /// The batch's results from what the log did. When the log did not append exactly what the state
    /// predicted (another process appended in between, or a commit failed), the state goes back to its
    /// saved checkpoint and catches up from the log (`rolledBack`).
    func settleLocked(_ batch: DecidedBatch, appended: [Result<CommitResult, EventLogError>],
                      saveWhenDue: Bool = true) throws(MarketplaceError) -> SettledBatch {
        var results = batch.results
        var asPredicted = appended.count == batch.pending.count
        var nextPosition = batch.start + 1
        for (item, result) in zip(batch.pending, appended) {
            switch result {
            case .success(let commit):
                results[item.index] = .success(CommandOutcome(commandId: item.commandId, events: commit.isDuplicate ? [] : item.events,
                                                              positions: commit.positions, isDuplicate: commit.isDuplicate))
                if commit.isDuplicate || commit.firstPosition != nextPosition
                    || commit.lastPosition != nextPosition + UInt64(item.events.count) - 1 {
                    asPredicted = false
                }
                if !commit.isDuplicate { nextPosition = commit.lastPosition + 1 }
            case .failure(let error):
                results[item.index] = .failure(MarketplaceError(error))
                asPredicted = false
            }
        }
        if asPredicted {
            if saveWhenDue { try saveIfDue() }
        } else {
            try state.discardUnsaved()
            try catchUpLocked()
        }
        return SettledBatch(results: results, rolledBack: !asPredicted)
    }

    /// Catches up and decides a command without appending it (see `commit`).
    public func prepare(_ envelope: CommandEnvelope) throws(MarketplaceError) -> PreparedCommand {
        lock.lock(); defer { lock.unlock() }
        try completeSubmittedLocked()
        do throws(CommandRejection) { try envelope.checkIdentifiers() } catch { throw .rejected(error) }
        try catchUpLocked()
        var filled = envelope
        filled.command = envelope.command.fillingIds(ids)
        let decision = try Decider(state: state, actor: envelope.actor).decide(filled.command)
        return PreparedCommand(envelope: filled, decision: decision, decidedAt: state.position)
    }

    /// Appends a prepared decision with its expectations: if another command changed a stream it read
    /// since it was prepared, this is a `.conflict` and nothing is appended.
    public func commit(_ prepared: PreparedCommand) throws(MarketplaceError) -> CommandOutcome {
        lock.lock(); defer { lock.unlock() }
        try completeSubmittedLocked()
        let commit = ProposedCommit(events: prepared.decision.proposedEvents(), expectations: prepared.decision.expectations,
                                    commandId: prepared.envelope.commandId, correlationId: prepared.envelope.correlationId,
                                    actor: prepared.envelope.actor, principal: prepared.envelope.principal)
        let result: CommitResult
        do throws(EventLogError) { result = try store.append(commit) } catch { throw MarketplaceError(error) }
        try catchUpLocked()
        return CommandOutcome(commandId: prepared.envelope.commandId, events: result.isDuplicate ? [] : prepared.decision.events,
                              positions: result.positions, isDuplicate: result.isDuplicate)
    }

    /// Decides a command against the current state without appending anything (what-if).
    public func decide(_ envelope: CommandEnvelope) throws(MarketplaceError) -> Decision {
        try prepare(envelope).decision
    }

    // MARK: State

    /// Brings the decision state up to the log's head.
    public func catchUp() throws(MarketplaceError) {
        lock.lock(); defer { lock.unlock() }
        try completeSubmittedLocked()
        try catchUpLocked()
    }

    /// Saves the decision state now (rows and checkpoint in one transaction) and waits for the write.
    public func checkpoint() throws(MarketplaceError) {
        lock.lock(); defer { lock.unlock() }
        try completeSubmittedLocked()
        try state.save(maxCachedRecords: options.maxCachedRecords, wait: true)
    }

    func saveIfDue() throws(MarketplaceError) {
        if state.unsavedEvents >= options.checkpointEveryEvents {
            try state.save(maxCachedRecords: options.maxCachedRecords)
        }
    }

    static func log<T>(_ body: () throws(EventLogError) -> T) throws(MarketplaceError) -> T {
        do throws(EventLogError) { return try body() } catch { throw MarketplaceError(error) }
    }

    func catchUpLocked() throws(MarketplaceError) {
        let logHead = try Self.log { () throws(EventLogError) in try store.head() }
        let head = logHead.position
        if head < state.position {
            // The decision state saw events this log no longer holds: acknowledged commits were lost.
            throw .log(.acknowledgedCommitsMissing(AcknowledgedLoss(
                logHead: logHead, acknowledgedPosition: state.position,
                evidence: "the decision state (state/, checkpointed at position \(state.position))")))
        }
        guard head > state.position else { return }
        let from = state.position + 1
        let cursor = try Self.log { () throws(EventLogError) in try store.events(from: from, filter: EventFilter(untilPosition: head)) }
        var openCommit: (id: String, first: UInt64, last: UInt64)?
        while let recorded = try Self.log({ () throws(EventLogError) in try cursor.next() }) {
            if recorded.position == recorded.commitPosition {
                if let done = openCommit { state.recordCommand(done.id, positions: done.first...done.last) }
                openCommit = nil
                if state.unsavedEvents >= options.checkpointEveryEvents { try state.save(maxCachedRecords: options.maxCachedRecords) }
                if let id = recorded.commandId { openCommit = (id, recorded.position, recorded.position) }
            }
            openCommit?.last = recorded.position
            if recorded.stream == LogLossRecord.stream {
                // A record of the log itself (an accepted loss), not a marketplace event.
                state.advance(to: recorded.position)
                continue
            }
            let event: MarketplaceEvent
            do throws(EventDecodingError) {
                event = try EventCatalogue.decode(type: recorded.type, schemaVersion: recorded.schemaVersion, payload: recorded.payload)
            } catch {
                throw .undecodableEvent(position: recorded.position, reason: error.description)
            }
            try state.apply(event)
            state.advance(to: recorded.position)
        }
        if let done = openCommit { state.recordCommand(done.id, positions: done.first...done.last) }
        try saveIfDue()
    }
}
