import Application
import ArgumentParser
import Dispatch
import Mail

/// `teamlog deliver`: one delivery pass over the outbox.
struct Deliver: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send the invitation emails that are due (the outbox), over SMTP or through sendmail.",
        discussion: """
            Each email due is sent, then recorded as an event (InvitationEmailSent, or InvitationEmailFailed
            with the reason and, for a passing failure, the time of the next attempt). At least once: an email
            sent but not yet recorded when the process dies goes out again with the same Message-ID. A relay
            that cannot be reached ends the pass; the emails wait, retried with a doubling delay.
            Exit 0: nothing left due (sent, or refused for good: see `teamlog query outbox`); 75: some wait
            for a retry. `teamlog serve --smtp …` (or --sendmail) runs the same passes while it serves.

            Examples:
              teamlog deliver --smtp 127.0.0.1:25
              teamlog deliver --smtp mail.example.com:587 --starttls --mail-from invitations@example.com
              teamlog deliver --sendmail /usr/sbin/sendmail --mail-base-url https://market.example.com
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var mail: MailOptions

    @Option(help: ArgumentHelp("Send at most this many emails.", valueName: "n"))
    var limit = 500

    func validate() throws {
        guard mail.isConfigured else { throw ValidationError("give the relay (--smtp HOST:PORT) or the sendmail program (--sendmail PATH)") }
        guard limit >= 1 else { throw ValidationError("--limit must be 1 or more") }
    }

    func run() throws {
        let store = Store(storeOptions)
        _ = try store.openForReading()
        let lock = try MailLock.take(storeDirectory: store.directory)
        defer { lock.release() }
        let delivery = OutboxDelivery(ledger: StoreDeliveryLedger(store: store), transport: try mail.transport(),
                                      settings: try mail.settings(), retry: mail.retry, batchLimit: limit)
        let report = try Self.wait { () async throws(ApplicationError) -> OutboxDelivery.Report in
            try await delivery.run { line in StandardStreams.out(line) }
        }
        var summary = "sent \(report.sent.count), refused \(report.refused.count), to retry \(report.retrying.count)"
        if report.notTried > 0 { summary += ", not tried \(report.notTried) (the relay is unreachable)" }
        StandardStreams.out(summary)
        if report.hasDeferred { throw ExitCode(ExitStatus.temporary.rawValue) }
    }

    /// Runs async work to its end from the synchronous command.
    static func wait<T: Sendable>(_ body: @escaping @Sendable () async throws(ApplicationError) -> T) throws(ApplicationError) -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            do throws(ApplicationError) { box.result = .success(try await body()) } catch { box.result = .failure(error) }
            done.signal()
        }
        done.wait()
        guard let result = box.result else { throw ApplicationError(.failure, "the delivery ended without a result") }
        return try result.get()
    }
}

private final class ResultBox<T: Sendable>: @unchecked Sendable {
    var result: Result<T, ApplicationError>?
}
