import Application
import EventLog
import Mail
import Marketplace
import Projections

/// `teamlog deliver`'s ledger: the outbox read from the store's views, each record appended as its own
/// command (the write lock taken only for that moment, so other writers are not kept waiting while the
/// relay talks).
struct StoreDeliveryLedger: DeliveryLedger {
    let store: Store

    func dueEmails(atMicros nowMicros: Int64, limit: Int) async throws(ApplicationError) -> [OutboxEmail] {
        let log = try store.openForReading()
        let runner = try store.openRunner()
        defer { runner.close() }
        do throws(ProjectionError) {
            return try ReadModelQueries(runner: runner, store: log).dueOutboxEmails(atMicros: nowMicros, limit: limit)
        } catch {
            throw ApplicationError(projection: error)
        }
    }

    func record(_ command: Command) async throws(ApplicationError) {
        let execution = try store.openCommandExecution()
        let outcomes = try execution.run([CommandExecution.Item(line: 1, envelope: .success(CommandEnvelope(actor: CommandEnvelope.systemActor, command)))],
                                         includeLine: false)
        if let error = outcomes.first?.error {
            throw ApplicationError(error.status, "recording the delivery failed: \(error.message)")
        }
    }
}
