import Foundation
public import Application
import Marketplace
public import Projections

/// One pass over the outbox: each email due is handed to the transport, then its outcome recorded as an
/// event before the next is sent.
///
/// At least once: an email whose sending succeeded but whose record did not become durable (a kill, a
/// full disk) is still pending and goes out again, with the same Message-ID. When the relay cannot be
/// reached, the failure is recorded for the email that met it and the pass stops: the others wait for
/// the next pass rather than each failing the same way.
public struct OutboxDelivery: Sendable {
    public struct Report: Sendable, Hashable {
        /// Invitation ids whose email was sent.
        public var sent: [String] = []
        /// Emails refused for good: invitation id and why.
        public var refused: [(invitationId: String, reason: String)] = []
        /// Emails that failed for a passing reason, and when they are tried again.
        public var retrying: [(invitationId: String, reason: String, retryAtMicros: Int64)] = []
        /// Emails due but not tried, because the relay was unreachable.
        public var notTried = 0
        /// The pass met a relay (or sendmail) that could not be reached, and stopped there.
        public var relayUnreachable = false

        public static func == (a: Report, b: Report) -> Bool {
            a.sent == b.sent && a.refused.map(\.invitationId) == b.refused.map(\.invitationId)
                && a.retrying.map(\.invitationId) == b.retrying.map(\.invitationId) && a.notTried == b.notTried
        }

        public func hash(into hasher: inout Hasher) { hasher.combine(sent) }

        /// True when emails wait for a retry.
        public var hasDeferred: Bool { !retrying.isEmpty || notTried > 0 }
    }

    public var ledger: any DeliveryLedger
    public var transport: any MailTransport
    public var settings: MailSettings
    public var retry: RetrySchedule
    /// At most this many emails per pass.
    public var batchLimit: Int

    public init(ledger: any DeliveryLedger, transport: any MailTransport, settings: MailSettings, retry: RetrySchedule = RetrySchedule(),
                batchLimit: Int = 500) {
        self.ledger = ledger
        self.transport = transport
        self.settings = settings
        self.retry = retry
        self.batchLimit = max(1, batchLimit)
    }

    /// Sends what is due now; `progress` hears of each email as its outcome is recorded.
    public func run(progress: (@Sendable (String) -> Void)? = nil) async throws(ApplicationError) -> Report {
        var report = Report()
        let due = try await ledger.dueEmails(atMicros: Self.nowMicros(), limit: batchLimit)
        for (index, entry) in due.enumerated() {
            let email = InvitationEmail.make(entry, settings: settings, date: Date())
            let attempt = entry.attempts + 1
            do throws(MailError) {
                try await transport.send(email)
            } catch {
                let reason = Self.redacted(error.description, token: entry.token)
                switch error {
                case .refused:
                    try await record(.recordInvitationEmailFailed(RecordInvitationEmailFailed(
                        invitationId: entry.invitationId, messageId: email.messageId, attempt: attempt, relay: transport.name,
                        reason: reason, retryAtMicros: nil)))
                    report.refused.append((entry.invitationId, reason))
                    progress?("\(entry.invitationId): refused for good: \(reason)")
                    continue
                case .settings(let problem):
                    throw ApplicationError(.usage, "mail delivery cannot start: \(problem)")
                case .unreachable, .deferred:
                    let retryAt = Self.nowMicros() + Int64(retry.delaySeconds(afterAttempt: attempt)) * 1_000_000
                    try await record(.recordInvitationEmailFailed(RecordInvitationEmailFailed(
                        invitationId: entry.invitationId, messageId: email.messageId, attempt: attempt, relay: transport.name,
                        reason: reason, retryAtMicros: Int(retryAt))))
                    report.retrying.append((entry.invitationId, reason, retryAt))
                    progress?("\(entry.invitationId): not sent (\(reason)); tried again from \(Timestamps.iso(micros: retryAt))")
                    if case .unreachable = error {
                        report.relayUnreachable = true
                        report.notTried = due.count - index - 1
                        return report
                    }
                    continue
                }
            }
            try await record(.recordInvitationEmailSent(RecordInvitationEmailSent(
                invitationId: entry.invitationId, messageId: email.messageId, attempt: attempt, relay: transport.name)))
            report.sent.append(entry.invitationId)
            progress?("\(entry.invitationId): sent to the relay as \(email.messageId)")
        }
        return report
    }

    private func record(_ command: Command) async throws(ApplicationError) {
        try await ledger.record(command)
    }

    /// A reason that comes from the relay could quote what it was sent: never let the token through.
    static func redacted(_ reason: String, token: String) -> String {
        token.isEmpty ? reason : reason.replacingOccurrences(of: token, with: "[token]")
    }

    static func nowMicros() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1_000_000).rounded(.down))
    }
}

/// How a delivery sends (the transport and the sender's settings) and retries: what `teamlog deliver` and
/// `teamlog serve` are told on their command lines.
public struct MailDeliverySetup: Sendable {
    public var transport: any MailTransport
    public var settings: MailSettings
    public var retry: RetrySchedule

    public init(transport: any MailTransport, settings: MailSettings, retry: RetrySchedule) {
        self.transport = transport
        self.settings = settings
        self.retry = retry
    }
}
