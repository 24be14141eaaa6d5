import EventLog
public import Marketplace
import Events

/// Runs parsed commands through the marketplace and describes each result as one JSON line.
/// The one path for the per-command subcommands and `exec` (and a server's `POST /v1/commands`).
public final class CommandExecution {
    /// A command line read from input: its line number and the envelope, or why it could not be read.
    public struct Item: Sendable {
        public var line: Int
        public var envelope: Result<CommandEnvelope, CommandRejection>

        public init(line: Int, envelope: Result<CommandEnvelope, CommandRejection>) {
            self.line = line
            self.envelope = envelope
        }
    }

    public struct Outcome: Sendable {
        public var line: Int
        public var jsonLine: String
        public var error: ApplicationError?

        public init(line: Int, jsonLine: String, error: ApplicationError?) {
            self.line = line
            self.jsonLine = jsonLine
            self.error = error
        }
    }

    public let market: Marketplace
    /// Claims command ids before deciding and answers retries whole (nil: the log's duplicates only).
    public let ids: CommandIdGuard?

    public init(market: Marketplace, ids: CommandIdGuard? = nil) {
        self.market = market
        self.ids = ids
    }

    /// Batches submitted whose results have not been handed out yet, oldest first, with the tickets
    /// of their parsed commands' ids.
    private var submitted: [(items: [Item], tickets: [CommandIdGuard.Ticket?], includeLine: Bool)] = []

    /// Executes the items in order (each command atomic on its own) with one durable write for the batch.
    public func run(_ items: [Item], includeLine: Bool) throws(ApplicationError) -> [Outcome] {
        var outcomes = try submit(items, includeLine: includeLine)
        outcomes += try complete()
        return outcomes
    }

    /// Decides the items now and writes them in the background while the caller reads the next batch
    /// (`Marketplace.submitBatch`). Returns the outcomes of the batches that became durable since the
    /// last call, in order: a result is only ever reported once its command is on disk.
    public func submit(_ items: [Item], includeLine: Bool) throws(ApplicationError) -> [Outcome] {
        var items = items
        var tickets: [CommandIdGuard.Ticket?] = []
        for index in items.indices {
            guard case .success(let envelope) = items[index].envelope else { continue }
            switch ids?.claim(envelope) ?? .success(nil) {
            case .success(let ticket): tickets.append(ticket)
            case .failure(let reused): items[index].envelope = .failure(reused)
            }
        }
        let parsed = items.compactMap { try? $0.envelope.get() }
        submitted.append((items, tickets, includeLine))
        do throws(MarketplaceError) {
            return describe(try market.submitBatch(parsed))
        } catch {
            // These items were not submitted: they get no result (a batch before them may still have one).
            submitted.removeLast()
            ids?.release(tickets)
            throw ApplicationError(market: error)
        }
    }

    /// Waits for the batch being written and returns the outcomes not yet reported.
    public func complete() throws(ApplicationError) -> [Outcome] {
        do throws(MarketplaceError) {
            return describe(try market.completeSubmitted())
        } catch {
            throw ApplicationError(market: error)
        }
    }

    private func describe(_ completed: [Marketplace.BatchResults]) -> [Outcome] {
        var outcomes: [Outcome] = []
        for results in completed {
            guard !submitted.isEmpty else { break }
            let (items, tickets, includeLine) = submitted.removeFirst()
            var next = (ids?.settle(tickets, results) ?? results).makeIterator()
            for item in items {
                let result: Result<CommandOutcome, MarketplaceError>
                switch item.envelope {
                case .failure(let rejection): result = .failure(.rejected(rejection))
                case .success: result = next.next() ?? .failure(.state("no result"))
                }
                outcomes.append(Self.describe(result, line: includeLine ? item.line : nil))
            }
        }
        return outcomes
    }

    public func checkpoint() {
        try? market.checkpoint()
    }

    public static func describe(_ result: Result<CommandOutcome, MarketplaceError>, line: Int?) -> Outcome {
        var pairs: [(String, String)] = []
        if let line { pairs.append(("line", String(line))) }
        switch result {
        case .success(let outcome):
            pairs.append(("ok", "true"))
            pairs.append(("positions", "[\(outcome.positions.lowerBound),\(outcome.positions.upperBound)]"))
            if outcome.isDuplicate { pairs.append(("duplicate", "true")) }
            pairs.append(("events", JSONText.array(outcome.events.map { JSONText.string($0.eventType) })))
            // Streams name the ids generated for the command; address streams would show personal data.
            var streams: [String] = []
            for event in outcome.events where !event.stream.hasPrefix("email-") && !streams.contains(event.stream) {
                streams.append(event.stream)
            }
            pairs.append(("streams", JSONText.array(streams.map(JSONText.string))))
            return Outcome(line: line ?? 0, jsonLine: JSONText.object(pairs), error: nil)
        case .failure(let failure):
            let error = ApplicationError(market: failure)
            return Outcome(line: line ?? 0, jsonLine: error.json(code: failure.rejection?.code.rawValue, line: line), error: error)
        }
    }
}
