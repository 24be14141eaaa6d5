import Foundation
import EventLog
public import Marketplace

/// Group commit for the server: requests queue their commands here, and one thread takes everything
/// queued, decides it in order (`Marketplace.submitBatch`) and writes it with one durable write, while
/// the requests that arrive meanwhile queue for the next batch. Each request is answered once its
/// batch is on disk, never before. Deciding the next batch overlaps with the previous batch's fsync.
public final class CommandGateway: @unchecked Sendable {
    public typealias Results = [Result<CommandOutcome, MarketplaceError>]

    /// What the gateway reports after each durable batch (for metrics and the feed).
    public struct BatchReport: Sendable {
        public var commands: Int
        public var durableHead: UInt64
        public var seconds: Double
    }

    private final class Ticket {
        let envelopes: [CommandEnvelope]
        let enqueuedAt: UInt64
        let continuation: CheckedContinuation<Results, any Error>
        init(_ envelopes: [CommandEnvelope], _ continuation: CheckedContinuation<Results, any Error>) {
            self.envelopes = envelopes
            self.continuation = continuation
            enqueuedAt = DispatchTime.now().uptimeNanoseconds
        }
    }

    public enum GatewayError: Error, CustomStringConvertible {
        case stopping
        case busy(queued: Int)

        public var description: String {
            switch self {
            case .stopping: return "the server is shutting down and takes no new commands: retry against the restarted server"
            case .busy(let queued): return "\(queued) commands are already queued: retry in a moment"
            }
        }
    }

    private let market: Marketplace
    private let condition = NSCondition()
    private var queue: [Ticket] = []
    private var queuedCommands = 0
    /// Batches handed to the marketplace whose results have not come back, oldest first.
    private var submitted: [[Ticket]] = []
    private var stopping = false
    private var stopped = false
    private var thread: Thread?
    private let maxBatchCommands: Int
    private let maxQueuedCommands: Int
    private let onBatch: @Sendable (BatchReport) -> Void
    /// The highest position answered as durable (only the committing thread touches it).
    private var durableHead: UInt64

    /// - Parameters:
    ///   - maxBatchCommands: the most commands one durable write takes.
    ///   - maxQueuedCommands: beyond this many waiting commands, new requests are refused as busy (503).
    public init(market: Marketplace, maxBatchCommands: Int = 2_000, maxQueuedCommands: Int = 20_000,
                onBatch: @escaping @Sendable (BatchReport) -> Void = { _ in }) {
        self.market = market
        durableHead = market.position
        self.maxBatchCommands = maxBatchCommands
        self.maxQueuedCommands = maxQueuedCommands
        self.onBatch = onBatch
    }

    /// Starts the committing thread.
    public func start() {
        let thread = Thread { [self] in run() }
        thread.name = "teamlog.commit"
        thread.qualityOfService = .userInitiated
        self.thread = thread
        thread.start()
    }

    /// Executes `envelopes` in order, each atomic on its own, and returns their results once durable.
    public func execute(_ envelopes: [CommandEnvelope]) async throws -> Results {
        guard !envelopes.isEmpty else { return [] }
        return try await withCheckedThrowingContinuation { continuation in
            condition.lock()
            defer { condition.unlock() }
            if stopping {
                continuation.resume(throwing: GatewayError.stopping)
                return
            }
            if queuedCommands + envelopes.count > maxQueuedCommands, queuedCommands > 0 {
                continuation.resume(throwing: GatewayError.busy(queued: queuedCommands))
                return
            }
            queue.append(Ticket(envelopes, continuation))
            queuedCommands += envelopes.count
            condition.signal()
        }
    }

    /// Stops taking commands, writes everything already queued, and waits until it is durable.
    public func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !stopped { condition.wait() }
        condition.unlock()
    }

    /// Commands queued and not yet decided.
    public var queued: Int {
        condition.lock(); defer { condition.unlock() }
        return queuedCommands
    }

    // MARK: The committing thread

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty && submitted.isEmpty && !stopping { condition.wait() }
            let taken = takeBatchLocked()
            let finished = stopping && queue.isEmpty && taken.isEmpty && submitted.isEmpty
            condition.unlock()
            if finished { break }
            let started = DispatchTime.now().uptimeNanoseconds
            if taken.isEmpty {
                // Nothing new: wait for the batch in flight to be durable and answer it.
                deliver(Result { () throws(MarketplaceError) in try market.completeSubmitted() }, started: started)
            } else {
                submitted.append(taken)
                let envelopes = taken.flatMap(\.envelopes)
                let completed = Result { () throws(MarketplaceError) in try market.submitBatch(envelopes) }
                if case .failure(let error) = completed {
                    // The batch just passed in was not appended at all: fail its requests (each is told
                    // the log's error; none was acknowledged). The batch in flight comes back next call.
                    submitted.removeLast()
                    for ticket in taken { ticket.continuation.resume(throwing: error) }
                }
                deliver(completed, started: started)
            }
        }
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// Whole tickets from the queue, up to `maxBatchCommands` commands (at least one ticket).
    private func takeBatchLocked() -> [Ticket] {
        var taken: [Ticket] = []
        var commands = 0
        while let next = queue.first, taken.isEmpty || commands + next.envelopes.count <= maxBatchCommands {
            taken.append(queue.removeFirst())
            commands += next.envelopes.count
        }
        queuedCommands -= commands
        return taken
    }

    /// Hands each completed batch's results to its requests, in submission order.
    private func deliver(_ completed: Result<[Marketplace.BatchResults], MarketplaceError>, started: UInt64) {
        guard case .success(let batches) = completed else { return }
        for results in batches {
            guard !submitted.isEmpty else { break }
            let tickets = submitted.removeFirst()
            var offset = 0
            for ticket in tickets {
                let count = ticket.envelopes.count
                ticket.continuation.resume(returning: Array(results[offset..<min(offset + count, results.count)]))
                offset += count
            }
            for case .success(let outcome) in results { durableHead = max(durableHead, outcome.positions.upperBound) }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - (tickets.first?.enqueuedAt ?? started)) / 1e9
            onBatch(BatchReport(commands: offset, durableHead: durableHead, seconds: seconds))
        }
    }
}
