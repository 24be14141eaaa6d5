/// Hands an email to a mail system: an SMTP relay, or the system's sendmail.
public protocol MailTransport: Sendable {
    /// Where the email goes, as recorded in the delivery events (`smtp://host:port`, `sendmail:/usr/sbin/sendmail`).
    var name: String { get }
    /// Sends one email; returns when the mail system accepted it.
    func send(_ email: OutgoingEmail) async throws(MailError)
}
