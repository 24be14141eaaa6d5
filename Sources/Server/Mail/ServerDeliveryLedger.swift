import Application
import Mail
import Marketplace
import Projections

/// The server's ledger: the outbox read through the served views, each record appended through the
/// command gateway (group commit, like any client's command), so the server stays the only writer.
struct ServerDeliveryLedger: DeliveryLedger {
    let views: ServedViews
    let gateway: CommandGateway

    func dueEmails(atMicros nowMicros: Int64, limit: Int) async throws(ApplicationError) -> [OutboxEmail] {
        let views = self.views
        do {
            return try await Blocking.run {
                try views.withRunner { runner, store throws(ApplicationError) in
                    do throws(ProjectionError) {
                        return try ReadModelQueries(runner: runner, store: store).dueOutboxEmails(atMicros: nowMicros, limit: limit)
                    } catch {
                        throw ApplicationError(projection: error)
                    }
                }
            }
        } catch {
            throw ApplicationError(error)
        }
    }

    func record(_ command: Command) async throws(ApplicationError) {
        let results: CommandGateway.Results
        do {
            results = try await gateway.execute([CommandEnvelope(actor: CommandEnvelope.systemActor, command)])
        } catch {
            throw ApplicationError(error)
        }
        if case .failure(let error) = results.first {
            throw ApplicationError(.failure, "recording the delivery failed: \(ApplicationError(market: error).message)")
        }
    }
}
