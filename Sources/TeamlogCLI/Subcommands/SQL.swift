import Application
import ArgumentParser
import Foundation
import Projections

/// `teamlog sql "SELECT …"`: one read-only statement over every read model.
struct SQL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Run one read-only SQL statement over the read models (writes are refused).",
        discussion: """
            Every view's tables are reachable by name (see docs/READ-MODELS.md); views are caught up first.
            Only SELECT, WITH, VALUES, EXPLAIN and read-only PRAGMAs run; INSERT, UPDATE, DELETE, ATTACH,
            CREATE, DROP, writing PRAGMAs and the functions fts3_tokenizer and load_extension are refused (exit 64).
            A statement still running after --timeout seconds (default \(SQL.defaultTimeLimit.formatted), or
            $TEAMLOG_SQL_TIMEOUT) is stopped (exit 75): while it runs, commands' view updates wait for it.

            Examples:
              teamlog sql "SELECT team_id, count(*) FROM team_members GROUP BY team_id"
              teamlog sql --format csv "SELECT user_id, role FROM users"
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "The SQL statement.")
    var statement: String

    @Option(help: "Output format: table, json or csv.")
    var format: OutputFormat = .table

    @Option(help: ArgumentHelp("Stop the statement after this many seconds (default 5, or $TEAMLOG_SQL_TIMEOUT).",
                               valueName: "seconds"))
    var timeout: Double?

    /// Below the views' busy timeout (`ProjectionRunnerOptions.busyTimeout`, 10 s): a command's catch-up
    /// of a view waits for the statement's read locks, and by default gets them before it gives up.
    static let defaultTimeLimit = 5.0

    static let timeoutVariable = "TEAMLOG_SQL_TIMEOUT"

    mutating func validate() throws {
        do throws(ApplicationError) { try ReadOnlySQLGuard.check(statement) } catch { throw ValidationError(error.message) }
        if let timeout, !(timeout > 0 && timeout.isFinite) {
            throw ValidationError("--timeout takes a number of seconds above zero (got \(timeout)).")
        }
        _ = try timeLimit()
    }

    /// --timeout, else $TEAMLOG_SQL_TIMEOUT, else the default.
    func timeLimit() throws(ValidationError) -> Double {
        if let timeout { return timeout }
        guard let text = ProcessInfo.processInfo.environment[Self.timeoutVariable], !text.isEmpty else { return Self.defaultTimeLimit }
        guard let seconds = Double(text), seconds > 0, seconds.isFinite else {
            throw ValidationError("\(Self.timeoutVariable) must be a number of seconds above zero; unset it for the default of \(Self.defaultTimeLimit.formatted) s.")
        }
        return seconds
    }

    func run() throws {
        let store = Store(storeOptions)
        let log = try store.openForReading()
        let runner = try store.openRunner()
        defer { runner.close() }
        let limit = try timeLimit()
        let result: QueryResult
        do throws(ProjectionError) {
            result = try ReadModelQueries(runner: runner, store: log).sql(statement, timeLimit: limit)
        } catch .queryTimeLimit(let seconds) {
            throw ApplicationError(.temporary, "the SQL statement reached its time limit of \(seconds.formatted) s and was stopped: "
                + "give it more time with --timeout SECONDS (or \(Self.timeoutVariable)), or narrow it (a WHERE on an indexed column, a LIMIT)")
        } catch {
            throw ApplicationError(projection: error)
        }
        ResultRenderer.print([ResultSection("result", result)], format: format)
    }
}

extension Double {
    /// Seconds as messages show them: `5`, `0.5`.
    var formatted: String { ProjectionError.seconds(self) }
}
