import Application
import Logging
import Mail
import ServiceLifecycle

/// `teamlog serve --smtp …` (or `--sendmail …`): delivery passes over the outbox while the server runs.
///
/// A pass runs every `interval`; when the relay is unreachable the loop waits longer after each pass
/// that met it (the retry schedule), and is back to `interval` after the first pass that reaches it.
/// Graceful shutdown stops it between emails.
struct MailDeliveryLoop: Service {
    let delivery: OutboxDelivery
    let lock: MailLock
    let logger: Logger
    var interval: Duration = .seconds(1)

    func run() async throws {
        defer { lock.release() }
        await cancelWhenGracefulShutdown {
            var unreachablePasses = 0
            while !Task.isCancelled {
                do throws(ApplicationError) {
                    let logger = self.logger
                    let report = try await delivery.run { line in logger.info("mail: \(line)") }
                    unreachablePasses = report.relayUnreachable ? unreachablePasses + 1 : 0
                } catch {
                    logger.error("mail: the delivery pass failed: \(error.message)")
                    unreachablePasses += 1
                }
                let wait: Duration = unreachablePasses == 0
                    ? interval : .seconds(delivery.retry.delaySeconds(afterAttempt: unreachablePasses))
                try? await Task.sleep(for: max(wait, interval))
            }
        }
    }
}
