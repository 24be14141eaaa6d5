/// Why an email was not delivered, or why delivery could not start. Messages never hold a token.
public enum MailError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The mail system could not be reached, or the conversation broke off (connection refused, timed
    /// out, closed; sendmail missing or killed): every email would meet it, so try again later.
    case unreachable(String)
    /// The mail system answered this email with a passing failure (an SMTP 4xx reply, EX_TEMPFAIL):
    /// try it again later.
    case deferred(String)
    /// The mail system refused this email for good (an SMTP 5xx reply): do not retry it.
    case refused(String)
    /// The delivery's settings are wrong (sender, base URL, relay address, TLS files): fix the options.
    case settings(String)

    public var description: String {
        switch self {
        case .unreachable(let reason), .deferred(let reason), .refused(let reason), .settings(let reason): reason
        }
    }
}
