import Application
import EventLog
import Events
import Foundation
import HTTPTypes
public import Marketplace

/// Runs the commands of one request through group commit: claims each command id (a reused id is
/// refused before anything is decided), executes the rest in order, each atomic on its own, and
/// answers a retried command with its first result whole (its events read back from the log).
public struct CommandService: Sendable {
    /// One command's answer: the marketplace's result, or a refusal the server made itself.
    public enum Answer: Sendable {
        case executed(Result<CommandOutcome, MarketplaceError>)
        case refused(Problem)
    }

    let gateway: CommandGateway
    let registry: CommandIdRegistry
    let store: any EventStoreReader
    let metrics: ServerMetrics

    public func execute(_ envelopes: [CommandEnvelope]) async throws -> [Answer] {
        var answers = [Answer?](repeating: nil, count: envelopes.count)
        var toRun: [(index: Int, envelope: CommandEnvelope, fingerprint: Data?)] = []
        for (index, envelope) in envelopes.enumerated() {
            guard let commandId = envelope.commandId else {
                toRun.append((index, envelope, nil))
                continue
            }
            let fingerprint = CommandIdRegistry.fingerprint(envelope)
            if registry.claim(commandId, fingerprint: fingerprint) == .reused {
                answers[index] = .refused(Problem(.unprocessableContent, code: "commandIdReused",
                    "this command id was already used for another command: give each new command its own id (a retry must repeat the command exactly)"))
                metrics.command(outcome: "reused")
                continue
            }
            toRun.append((index, envelope, fingerprint))
        }
        let results: CommandGateway.Results
        do {
            results = try await gateway.execute(toRun.map(\.envelope))
        } catch {
            for item in toRun {
                if let commandId = item.envelope.commandId, let fingerprint = item.fingerprint {
                    registry.release(commandId, fingerprint: fingerprint)
                }
            }
            throw error
        }
        var applied: [(commandId: String, fingerprint: Data)] = []
        for (item, result) in zip(toRun, results) {
            metrics.command(outcome: Self.outcome(result))
            if let commandId = item.envelope.commandId, let fingerprint = item.fingerprint {
                switch result {
                case .success(let outcome) where !outcome.isDuplicate: applied.append((commandId, fingerprint))
                case .success: break
                case .failure: registry.release(commandId, fingerprint: fingerprint)
                }
            }
            if case .success(let outcome) = result, outcome.isDuplicate {
                answers[item.index] = .executed(.success(firstResult(of: outcome)))
            } else {
                answers[item.index] = .executed(result)
            }
        }
        registry.recordApplied(applied)
        return answers.map { $0 ?? .refused(Problem(.internalServerError, code: "failure", "no result")) }
    }

    static func outcome(_ result: Result<CommandOutcome, MarketplaceError>) -> String {
        switch result {
        case .success(let outcome): return outcome.isDuplicate ? "duplicate" : "ok"
        case .failure(.rejected): return "rejected"
        case .failure(let error) where error.isConflict: return "conflict"
        case .failure(let error) where error.isBusy: return "busy"
        case .failure: return "failed"
        }
    }

    /// A duplicate's outcome with the events its first execution appended, read back from the log.
    func firstResult(of duplicate: CommandOutcome) -> CommandOutcome {
        var events: [MarketplaceEvent] = []
        do {
            let cursor = try store.events(from: duplicate.positions.lowerBound,
                                          filter: EventFilter(untilPosition: duplicate.positions.upperBound))
            while let recorded = try cursor.next() {
                events.append(try EventCatalogue.decode(type: recorded.type, schemaVersion: recorded.schemaVersion,
                                                        payload: recorded.payload))
            }
        } catch {
            return duplicate
        }
        var whole = duplicate
        whole.events = events
        return whole
    }
}
