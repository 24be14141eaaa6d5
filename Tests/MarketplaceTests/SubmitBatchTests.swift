import EventLog
import Events
import Foundation
import Marketplace
import Synchronization
import Testing
import Workload

/// A log whose batch appends can be held back, slowed down or made to fail: the pipelined
/// `submitBatch` must stay correct whatever the background append does and however long it takes.
final class ControlledStore: EventStore {
    let inner = InMemoryEventStore()
    var storeId: StoreID { inner.storeId }
    private let gate = Mutex<DispatchSemaphore?>(nil)
    private let failOnCall = Mutex<Int?>(nil)
    private let calls = Atomic<Int>(0)
    let delay: useconds_t

    init(delayMicroseconds: useconds_t = 0) { delay = delayMicroseconds }

    /// The next batch append waits until `open()`.
    func hold() { gate.withLock { $0 = DispatchSemaphore(value: 0) } }
    func open() { gate.withLock { $0?.signal(); $0 = nil } }
    /// The `call`-th batch append (counting from 1) fails without appending anything.
    func fail(onBatch call: Int) { failOnCall.withLock { $0 = call } }

    func appendBatch(_ commits: [ProposedCommit]) throws(EventLogError) -> [Result<CommitResult, EventLogError>] {
        let call = calls.add(1, ordering: .relaxed).newValue
        if let waiting = gate.withLock({ $0 }) { waiting.wait() }
        if delay > 0 { usleep(delay) }
        if failOnCall.withLock({ $0 }) == call { throw .io(operation: "fdatasync (test)", path: "log", errno: EIO) }
        return try inner.appendBatch(commits)
    }

    func append(_ commit: ProposedCommit) throws(EventLogError) -> CommitResult { try inner.append(commit) }
    func head() throws(EventLogError) -> LogHead { try inner.head() }
    func streamVersion(_ stream: String) throws(EventLogError) -> UInt64 { try inner.streamVersion(stream) }
    func events(from position: UInt64, filter: EventFilter) throws(EventLogError) -> any EventCursor {
        try inner.events(from: position, filter: filter)
    }
    func readChunks(from position: UInt64, filter: EventFilter) throws(EventLogError) -> EventChunkReader {
        try inner.readChunks(from: position, filter: filter)
    }
}

/// A state store that checks, at every save, that the checkpoint is not ahead of the log.
final class CheckingStateStore: DecisionStateStore {
    let inner = InMemoryDecisionStateStore()
    let log: any EventStore
    private let aheadSaves = Atomic<Int>(0)
    private let saves = Atomic<Int>(0)

    init(log: any EventStore) { self.log = log }
    var savesAheadOfTheLog: Int { aheadSaves.load(ordering: .relaxed) }
    var saveCount: Int { saves.load(ordering: .relaxed) }

    func checkpoint() throws(MarketplaceError) -> UInt64 { try inner.checkpoint() }
    func load(_ key: String) throws(MarketplaceError) -> [UInt8]? { try inner.load(key) }
    func reset() throws(MarketplaceError) { try inner.reset() }
    func save(_ rows: [(key: String, value: [UInt8]?)], checkpoint: UInt64) throws(MarketplaceError) {
        saves.add(1, ordering: .relaxed)
        if let head = try? log.head().position, checkpoint > head { aheadSaves.add(1, ordering: .relaxed) }
        try inner.save(rows, checkpoint: checkpoint)
    }
}

@Suite struct SubmitBatchTests {
    static func register(_ user: String, _ email: String) -> CommandEnvelope {
        CommandEnvelope(actor: user, .registerAccount(RegisterAccount(userId: user, role: .buyer, name: "N", email: email)))
    }

    /// What a log holds, without its timestamps.
    static func contents(_ store: any EventStore) throws -> [String] {
        try store.events().collect().map {
            "\($0.position) \($0.commitPosition) \($0.stream) v\($0.streamVersion) \($0.type) \($0.commandId ?? "-") "
                + String(decoding: $0.payload, as: UTF8.self)
        }
    }

    static func describe(_ results: [Result<CommandOutcome, MarketplaceError>]) -> [String] {
        results.map { result in
            switch result {
            case .success(let o): "ok \(o.positions) dup=\(o.isDuplicate) \(o.events.map(\.eventType))"
            case .failure(let e): "failed \(e)"
            }
        }
    }

    @Test func pipelinedBatchesGiveTheSameResultsAndLogAsBatchesRunOneByOne() throws {
        let serialLog = InMemoryEventStore()
        let serial = try Marketplace(store: serialLog, options: .init(checkpointEveryEvents: 700), ids: countingIds())
        let pipelinedLog = ControlledStore(delayMicroseconds: 300)
        let stateStore = CheckingStateStore(log: pipelinedLog)
        let pipelined = try Marketplace(store: pipelinedLog, stateStore: stateStore, options: .init(checkpointEveryEvents: 700),
                                        ids: countingIds())
        var generator = WorkloadGenerator(seed: 11, targetEvents: 6_000)
        var serialResults: [String] = []
        var pipelinedResults: [String] = []
        var submitted: [CommandEnvelope] = []
        var batches = 0
        while var batch = generator.nextBatch(maxCommands: 150) {
            batches += 1
            // Replays of earlier commands, some from the batch still in flight: duplicates, never decided again.
            if let replay = submitted.last(where: { $0.commandId != nil }) { batch.append(replay) }
            submitted += batch
            serialResults += Self.describe(try serial.executeBatch(batch))
            for completed in try pipelined.submitBatch(batch) { pipelinedResults += Self.describe(completed) }
        }
        for completed in try pipelined.completeSubmitted() { pipelinedResults += Self.describe(completed) }
        #expect(batches > 10)
        #expect(pipelinedResults.count == submitted.count)
        #expect(pipelinedResults == serialResults)
        #expect(try Self.contents(pipelinedLog) == Self.contents(serialLog))
        #expect(stateStore.saveCount > 3)
        #expect(stateStore.savesAheadOfTheLog == 0, "a checkpoint covered commits that were not yet in the log")
    }

    @Test func aBatchDecidedOnAPredictionThatDidNotComeTrueIsDecidedAgain() throws {
        let log = ControlledStore()
        let market = try Marketplace(store: log, ids: countingIds())
        let other = try Marketplace(store: log.inner, ids: countingIds(prefix: "o"))
        log.hold()
        #expect(try market.submitBatch([Self.register("u1", "one@example.com")]).isEmpty)
        // While the first batch waits to be written, another writer takes the address the next batch uses.
        _ = try other.execute(Self.register("u-other", "two@example.com"))
        log.open()
        let first = try market.submitBatch([Self.register("u2", "two@example.com"), Self.register("u3", "three@example.com")])
        let second = try market.completeSubmitted()
        #expect(first.count == 1 && second.count == 1)
        // The first batch landed after the other writer's commit, not where it was predicted.
        #expect(try first[0][0].get().positions.lowerBound == 3)
        // Decided again on the real log: the address is taken (a rejection that says why, not a conflict).
        #expect(second[0][0].failureCode == .emailTaken)
        #expect(try second[0][1].get().positions.lowerBound == 5)
        #expect(try log.head().position == 6)
        #expect(market.decidesLike(try Marketplace(store: log.inner), Self.register("u4", "three@example.com")))
    }

    @Test func aFailedAppendThrowsAndNothingOfTheBatchDecidedAfterItIsAppended() throws {
        let log = ControlledStore(delayMicroseconds: 200)
        let stateStore = CheckingStateStore(log: log)
        let market = try Marketplace(store: log, stateStore: stateStore, options: .init(checkpointEveryEvents: 200))
        var generator = WorkloadGenerator(seed: 12, targetEvents: 2_000)
        var acknowledged = 0
        var batches = 0
        var firstThree = 0
        var fourth = 0
        log.fail(onBatch: 4)
        var failure: (any Error)?
        var headBeforeFailure: UInt64 = 0
        while let batch = generator.nextBatch(maxCommands: 100), failure == nil {
            batches += 1
            if batches <= 3 { firstThree += batch.count }
            if batches == 4 { fourth = batch.count }
            do {
                if batches == 5 { headBeforeFailure = try log.head().position }
                for completed in try market.submitBatch(batch) { acknowledged += completed.count }
            } catch {
                failure = error
            }
        }
        #expect(failure is MarketplaceError, "the fourth append failed: the call that collects it must throw")
        #expect(acknowledged == firstThree, "batches 1-3 are acknowledged; the failed fourth and the fifth are not")
        // Batch 4 failed whole and batch 5 was never appended.
        #expect(try log.head().position == headBeforeFailure)
        #expect(stateStore.savesAheadOfTheLog == 0)
        let probe = Self.register("u-probe", "probe@example.com")
        #expect(market.decidesLike(try Marketplace(store: log.inner), probe))
        // The failed batch still gets its results, in its place: the log's error for each command.
        let failed = try market.completeSubmitted()
        #expect(failed.count == 1)
        #expect(failed.first?.count == fourth)
        #expect(failed.first?.allSatisfy { if case .failure = $0 { true } else { false } } == true)
        #expect(try market.completeSubmitted().isEmpty)
    }

    /// Durability (DESIGN.md §2.5): a result is handed back only once the log has its commit.
    @Test func noResultIsHandedBackBeforeItsCommitIsInTheLog() throws {
        let log = ControlledStore()
        let market = try Marketplace(store: log, ids: countingIds())
        log.hold()
        #expect(try market.submitBatch([Self.register("u1", "one@example.com")]).isEmpty)
        let completed = Mutex<[Marketplace.BatchResults]?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let results = try? market.completeSubmitted()
            completed.withLock { $0 = results }
            done.signal()
        }
        // While the append is held, nothing comes back and nothing is in the log.
        #expect(done.wait(timeout: .now() + 0.3) == .timedOut)
        #expect(try log.head().position == 0)
        log.open()
        done.wait()
        let results = try #require(completed.withLock { $0 })
        let positions = try #require(try results.first?.first?.get().positions)
        #expect(positions == 1...2)
        #expect(try log.head().position >= positions.upperBound)
    }

    @Test func otherCallsWaitForTheBatchInFlightAndKeepItsResults() throws {
        let log = ControlledStore(delayMicroseconds: 20_000)
        let market = try Marketplace(store: log, ids: countingIds())
        _ = try market.submitBatch([Self.register("u1", "one@example.com")])
        // `execute` runs after the batch in flight: its position follows it.
        let outcome = try market.execute(Self.register("u2", "two@example.com"))
        #expect(outcome.positions.lowerBound == 3)
        let kept = try market.completeSubmitted()
        #expect(kept.count == 1)
        #expect(try kept.first?.first?.get().positions == 1...2)
    }

    @Test func droppingAMarketplaceWithABatchInFlightNeverSavesAStateAheadOfTheLog() throws {
        let log = ControlledStore(delayMicroseconds: 20_000)
        let stateStore = CheckingStateStore(log: log)
        do {
            let market = try Marketplace(store: log, stateStore: stateStore, ids: countingIds())
            _ = try market.submitBatch([Self.register("u1", "one@example.com")])
            _ = try market.submitBatch([Self.register("u2", "two@example.com")])
        }
        #expect(stateStore.savesAheadOfTheLog == 0)
        #expect(try stateStore.checkpoint() <= log.head().position)
        let reopened = try Marketplace(store: log, stateStore: stateStore)
        #expect(reopened.decidesLike(try Marketplace(store: log.inner), Self.register("u3", "two@example.com")))
    }
}
