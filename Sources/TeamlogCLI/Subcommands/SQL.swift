import ArgumentParser
import Projections

/// `teamlog sql "SELECT …"`: one read-only statement over every read model.
struct SQL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Run one read-only SQL statement over the read models (writes are refused).",
        discussion: """
            Every view's tables are reachable by name (see README.md, "The read models"); views are caught up first.
            Only SELECT, WITH, VALUES, EXPLAIN and read-only PRAGMAs run; INSERT, UPDATE, DELETE, ATTACH,
            CREATE, DROP and writing PRAGMAs are refused (exit 64).

            Examples:
              teamlog sql "SELECT team_id, count(*) FROM team_members GROUP BY team_id"
              teamlog sql --format csv "SELECT user_id, role FROM users"
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "The SQL statement.")
    var statement: String

    @Option(help: "Output format: table, json or csv.")
    var format: OutputFormat = .table

    mutating func validate() throws {
        try ReadOnlySQLGuard.check(statement)
    }

    func run() throws {
        let store = Store(storeOptions)
        let log = try store.openForReading()
        let runner = try store.openRunner()
        defer { runner.close() }
        let result: QueryResult
        do throws(ProjectionError) {
            result = try ReadModelQueries(runner: runner, store: log).sql(statement)
        } catch {
            throw CLIError(projection: error)
        }
        ResultRenderer.print([ResultSection("result", result)], format: format)
    }
}
