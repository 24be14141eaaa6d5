import Application
import ArgumentParser
import Projections
import Foundation

/// `teamlog`: the marketplace's commands, queries over its read models, the audit trail and the store's tools.
@main
struct Teamlog: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "teamlog",
        abstract: "An event-sourced freelance marketplace: commands, read models, audit trail.",
        discussion: """
            The store is --store DIR, else $TEAMLOG_STORE, else
            ~/.local/share/teamlog/store (created mode 0700).

            Exit codes: 0 success, 1 unexpected failure, 2 command rejected, 64 usage
            error, 65 damaged storage, 66 missing store or file, 74 I/O error, 75 busy
            store or view, conflict, or a sql time limit (retry). See README.md.

            Start with:  teamlog demo --store /tmp/teamlog-demo
            """,
        subcommands: [Init.self, Exec.self, Query.self, SQL.self, AuditLog.self, Replay.self, Rebuild.self, Status.self,
                      Verify.self, Recover.self, Stats.self, Demo.self, Keys.self, Serve.self, Deliver.self, Postgres.self]
            + MarketSubcommands.all,
        helpNames: [.short, .long]
    )

    static func main() {
        // Before anything opens SQLite (commands open the decision state before views catch up).
        ProjectionRunner.prepareSQLiteForParallelViews()
        let code: Int32
        do {
            let subcommands = Set(configuration.subcommands.flatMap { [$0._commandName] + $0.configuration.aliases })
            var command = try parseAsRoot(StoreArguments.movedAfterSubcommand(Array(CommandLine.arguments.dropFirst()),
                                                                              subcommands: subcommands,
                                                                              groups: ["keys": ["add", "list", "revoke"], "pg": ["sync", "status"]]))
            do {
                try command.run()
                code = ExitStatus.success.rawValue
            } catch let error as ExitCode {
                code = error.rawValue
            } catch let error where ApplicationError.isOurs(error) {
                let failure = ApplicationError(error)
                StandardStreams.err("teamlog: error: \(failure.message)")
                code = failure.status.rawValue
            } catch {
                exitReporting(error)
            }
        } catch {
            exitReporting(error)
        }
        StandardStreams.flush()
        Foundation.exit(code)
    }

    /// Exits for an error of the argument parser (or one thrown as a `ValidationError`): help and
    /// `--version` as ArgumentParser prints them, every failure as `teamlog: error: <what>` (then the
    /// usage it prints), with its exit code (64 for a usage error).
    static func exitReporting(_ error: any Error) -> Never {
        StandardStreams.flush()
        let status = exitCode(for: error)
        guard status != .success else { exit(withError: error) }
        let message = fullMessage(for: error)
        let what = message.hasPrefix("Error: ") ? message.dropFirst("Error: ".count) : Substring(message)
        StandardStreams.err("teamlog: error: " + what)
        Foundation.exit(status.rawValue)
    }
}
