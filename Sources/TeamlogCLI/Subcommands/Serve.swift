import Application
import Mail
import ArgumentParser

import Foundation
import Logging
import PostgresMirror
import TeamlogServer

/// `teamlog serve`: the marketplace over HTTP (README.md, "The HTTP API").
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the store over HTTP: commands, views, the audit trail, a live feed.",
        discussion: """
            While it runs, the server is the store's only writer: other teamlog write
            commands are told where to send their commands instead; reads keep working.
            SIGTERM or SIGINT shuts it down gracefully (requests in flight finish).
            Requests are logged to standard error, one line each.

            Examples:
              teamlog serve --store /tmp/teamlog-demo --listen 127.0.0.1:8080
              TEAMLOG_LISTEN=127.0.0.1:0 teamlog serve   (a free port, printed)
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("HOST:PORT to listen on. Default: $TEAMLOG_LISTEN, else 127.0.0.1:8080.", valueName: "host:port"))
    var listen: String?

    @Option(help: ArgumentHelp("The API key file. Default: $TEAMLOG_KEYS, else <store>/keys.", valueName: "file"))
    var keys: String?

    @Option(help: ArgumentHelp("Keep this PostgreSQL database caught up with the log while serving (as `teamlog pg sync` does).",
                               discussion: "A libpq URL (see `teamlog pg sync --help`). PostgreSQL being down never stops the server from accepting commands.",
                               valueName: "url"))
    var postgres: String?

    /// With --smtp or --sendmail, the server also sends the invitation emails (as `teamlog deliver` does).
    @OptionGroup(title: "Invitation emails (sent while serving when --smtp or --sendmail is given)") var mail: MailOptions

    var listenAddress: String {
        listen ?? ProcessInfo.processInfo.environment["TEAMLOG_LISTEN"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1:8080"
    }

    mutating func validate() throws {
        guard ServerConfiguration.parseListen(listenAddress) != nil else {
            throw ValidationError("--listen takes HOST:PORT (e.g. 127.0.0.1:8080, [::1]:8080, :8080); '\(listenAddress.prefix(80))' is not.")
        }
    }

    func run() throws {
        let store = Store(storeOptions)
        guard store.exists else {
            throw ApplicationError(.missingInput, "there is no Teamlog store at \(store.directory): create one with `teamlog init --store \(store.directory)` or point --store (or TEAMLOG_STORE) at an existing store")
        }
        let address = ServerConfiguration.parseListen(listenAddress) ?? ("127.0.0.1", 8080)
        let keysFile = keys ?? ProcessInfo.processInfo.environment["TEAMLOG_KEYS"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (store.directory as NSString).appendingPathComponent("keys")
        var configuration = ServerConfiguration(storeDirectory: store.directory, host: address.host, port: address.port, keysFile: keysFile)
        if let interval = ProcessInfo.processInfo.environment["TEAMLOG_VIEWS_INTERVAL_MS"].flatMap(Int.init), interval >= 1 {
            configuration.viewCatchUpMilliseconds = interval
        }
        if mail.isConfigured {
            configuration.mailDelivery = MailDeliverySetup(transport: try mail.transport(), settings: try mail.settings(), retry: mail.retry)
        }
        if let postgres {
            do throws(MirrorError) { configuration.postgresMirror = try PostgresEndpoint(url: postgres) } catch {
                throw ApplicationError(mirror: error)
            }
        }
        LoggingSystem.bootstrap { label in StreamLogHandler.standardError(label: label) }
        let server = try TeamlogServer(configuration: configuration)
        let done = DispatchSemaphore(value: 0)
        let outcome = ServeOutcome()
        Task {
            do {
                try await server.run { url in
                    StandardStreams.out("listening on \(url)")
                    StandardStreams.flush()
                }
            } catch {
                outcome.error = error
            }
            done.signal()
        }
        done.wait()
        if let error = outcome.error {
            throw ApplicationError(.ioError, "the server stopped: \(error)")
        }
    }
}

/// What the server's task ended with, handed back to the main thread.
private final class ServeOutcome: @unchecked Sendable {
    var error: (any Error)?
}
