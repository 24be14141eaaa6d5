import Application
import EventLog
import Events
import Foundation
import HTTPTypes
public import Marketplace

/// Runs the commands of one request through group commit: claims each command id (`CommandIdGuard`: a
/// reused id is refused before anything is decided), executes the rest in order, each atomic on its
/// own, and answers a retried command with its first result whole.
public struct CommandService: Sendable {
    /// One command's answer: the marketplace's result, or a refusal the server made itself.
    public enum Answer: Sendable {
        case executed(Result<CommandOutcome, MarketplaceError>)
        case refused(Problem)
    }

    let gateway: CommandGateway
    let ids: CommandIdGuard
    let metrics: ServerMetrics

    public func execute(_ envelopes: [CommandEnvelope]) async throws -> [Answer] {
        var answers = [Answer?](repeating: nil, count: envelopes.count)
        var toRun: [(index: Int, envelope: CommandEnvelope, ticket: CommandIdGuard.Ticket?)] = []
        for (index, envelope) in envelopes.enumerated() {
            switch ids.claim(envelope) {
            case .success(let ticket):
                toRun.append((index, envelope, ticket))
            case .failure(let reused):
                answers[index] = .executed(.failure(.rejected(reused)))
                metrics.command(outcome: "reused")
            }
        }
        let results: CommandGateway.Results
        do {
            results = try await gateway.execute(toRun.map(\.envelope))
        } catch {
            ids.release(toRun.map(\.ticket))
            throw error
        }
        for (item, result) in zip(toRun, ids.settle(toRun.map(\.ticket), results)) {
            metrics.command(outcome: Self.outcome(result))
            answers[item.index] = .executed(result)
        }
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
}
