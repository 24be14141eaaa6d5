public import Mail
public import PostgresMirror
/// How `teamlog serve` runs: where the store is, where it listens, where the API keys are, and its limits.
public struct ServerConfiguration: Sendable {
    public var storeDirectory: String
    public var host: String
    /// 0 picks a free port (the one chosen is printed and written to `<store>/server.json`).
    public var port: Int
    public var keysFile: String
    /// The largest body of one command or query request.
    public var maxBodyBytes = 1 << 20
    /// The largest body of `POST /v1/commands/batch`.
    public var maxBatchBodyBytes = 16 << 20
    /// The most commands in one batch request.
    public var maxBatchCommands = 10_000
    /// The largest header field and all headers of a request.
    public var maxHeaderBytes = 16 << 10
    /// Open connections at most; more wait in the listen backlog.
    public var maxConnections = 1_024
    /// Seconds for a request head to arrive (after connecting, or after the previous answer).
    public var headTimeoutSeconds: Int64 = 10
    /// Seconds for a whole request, body included, after its head.
    public var requestTimeoutSeconds: Int64 = 30
    /// Seconds a kept-alive connection may sit idle.
    public var idleTimeoutSeconds: Int64 = 75
    /// Seconds between feed heartbeats.
    public var heartbeatSeconds: Double = 15
    /// Seconds a `GET /v1/sql` statement may run.
    public var sqlTimeLimitSeconds: Double = 5
    /// Milliseconds between the background catch-ups of the views (a query catches its view up first
    /// anyway, so this only moves when the work is done, not what a query sees).
    public var viewCatchUpMilliseconds = 20
    /// Rows a page of `GET /v1/log` holds at most.
    public var maxLogPage = 10_000
    /// Invitation emails sent while the server runs (`--smtp` or `--sendmail`); nil: not sent.
    public var mailDelivery: MailDeliverySetup?
    /// The PostgreSQL database kept caught up while the server runs (`--postgres URL`); nil: none.
    public var postgresMirror: PostgresEndpoint?

    public init(storeDirectory: String, host: String = "127.0.0.1", port: Int = 8080, keysFile: String) {
        self.storeDirectory = storeDirectory
        self.host = host
        self.port = port
        self.keysFile = keysFile
    }

    /// `HOST:PORT` (`127.0.0.1:8080`, `[::1]:8080`, `:8080` for all interfaces), or nil when malformed.
    public static func parseListen(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = String(text[..<colon])
        guard let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else { return nil }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "0.0.0.0" }
        return (host, port)
    }
}
