import Application
import ArgumentParser
import Mail

/// How invitation emails go out (`teamlog deliver`, and `teamlog serve` when given --smtp or --sendmail): the relay or
/// sendmail, the sender, the links' base URL, the retry schedule.
struct MailOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Send through this SMTP relay.", valueName: "host:port"))
    var smtp: String?

    @Flag(help: "Require STARTTLS with the relay (its certificate checked against the system's roots, or --tls-ca).")
    var starttls = false

    @Option(help: ArgumentHelp("Trust this CA file (PEM) for the relay's certificate (with --starttls).", valueName: "file"))
    var tlsCa: String?

    @Option(help: ArgumentHelp("Send through this sendmail program instead of SMTP (e.g. /usr/sbin/sendmail).", valueName: "path"))
    var sendmail: String?

    @Option(help: ArgumentHelp("The sender address.", valueName: "address"))
    var mailFrom = "invitations@odesk.com"

    @Option(help: ArgumentHelp("The base URL of the signup links.", valueName: "url"))
    var mailBaseUrl = "https://www.odesk.com"

    @Option(help: ArgumentHelp("Seconds before the first retry of an email that failed for a passing reason (doubling after each further failure).", valueName: "seconds"))
    var retryBase = 60

    @Option(help: ArgumentHelp("The longest wait between retries, in seconds.", valueName: "seconds"))
    var retryMax = 3_600

    @Option(help: ArgumentHelp("Seconds the relay may take over any step.", valueName: "seconds"))
    var mailTimeout = 30

    func validate() throws {
        if smtp != nil, sendmail != nil { throw ValidationError("give --smtp or --sendmail, not both") }
        if starttls, smtp == nil { throw ValidationError("--starttls is for --smtp: give the relay's host:port") }
        if tlsCa != nil, !starttls { throw ValidationError("--tls-ca is for --starttls: add --starttls") }
        guard retryBase >= 0, retryMax >= 1, mailTimeout >= 1 else {
            throw ValidationError("--retry-base must be 0 or more, --retry-max and --mail-timeout 1 or more (seconds)")
        }
    }

    var isConfigured: Bool { smtp != nil || sendmail != nil }

    /// The transport the options name.
    func transport() throws(ApplicationError) -> any MailTransport {
        do throws(MailError) {
            if let sendmail { return SendmailTransport(path: sendmail, timeoutSeconds: Double(mailTimeout)) }
            guard let smtp else {
                throw MailError.settings("give the relay (--smtp HOST:PORT) or the sendmail program (--sendmail PATH)")
            }
            return try SMTPRelay(address: smtp, security: starttls ? .startTLS(caFile: tlsCa) : .none, timeoutSeconds: mailTimeout)
        } catch {
            throw ApplicationError(.usage, error.description)
        }
    }

    func settings() throws(ApplicationError) -> MailSettings {
        do throws(MailError) {
            return try MailSettings(from: mailFrom, baseURL: mailBaseUrl)
        } catch {
            throw ApplicationError(.usage, error.description)
        }
    }

    var retry: RetrySchedule { RetrySchedule(baseSeconds: retryBase, maximumSeconds: retryMax) }
}
