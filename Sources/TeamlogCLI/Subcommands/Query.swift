import Application
import ArgumentParser
import Projections

/// `teamlog query <view> [key]`: one read model's answer, caught up with the log first.
struct Query: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Query a read model (caught up with the log first).",
        usage: TerminalText.wrapped(["teamlog query <view> [<key>]", "[--format <format>]"]
            + QueryFilter.all.map { "[--\($0.name) <\($0.valueName)>]" } + ["[<options>]"], width: 72, indent: ""),
        discussion: "Views:\n\(viewsHelp)\n\nFormats: --format table (default), json, csv, mailto (a mailto: URL for an email client: mailing-list, team-roster, assignment).")

    /// Each view: its name and key, what it answers, an example.
    static var viewsHelp: String {
        QueryView.all.map { view in
            let words = view.abstract.split(separator: " ").map(String.init)
            return "  \(view.name)\(view.key.map { " <\($0)>" } ?? "")\n"
                + TerminalText.wrapped(["     "] + words, width: 79, indent: "      ") + "\n      e.g. \(view.example)"
        }.joined(separator: "\n")
    }

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("The view (listed below).", valueName: "view"))
    var view: String

    @Argument(help: ArgumentHelp("The view's key: a user, team, job, manager or assignment id.", valueName: "key"))
    var key: String?

    @Option(help: "Output format: table, json, csv or mailto.")
    var format: OutputFormat = .table

    @OptionGroup var filters: DeclaredOptions<QueryFilterOptions>

    /// The query, checked against the catalogue (`QueryRequest`): its errors are usage errors.
    private var request: QueryRequest {
        get throws {
            do throws(ApplicationError) {
                return try QueryRequest(view: view, key: key, filters: filters.values.compactMapValues(\.first))
            } catch {
                throw ValidationError(error.message)
            }
        }
    }

    mutating func validate() throws {
        let request = try request
        if format == .mailto, request.view.addressSection == nil {
            let views = QueryView.all.filter { $0.addressSection != nil }.map(\.name).joined(separator: ", ")
            throw ValidationError("--format mailto is for the views with addresses to email (\(views)); '\(view)' has none: choose table, json or csv")
        }
    }

    func run() throws {
        let request = try request
        let store = Store(storeOptions)
        let log = try store.openForReading()
        let runner = try store.openRunner()
        defer { runner.close() }
        let sections = try request.run(on: ReadModelQueries(runner: runner, store: log))
        if format == .mailto, let title = request.view.addressSection {
            ResultRenderer.print(sections.filter { $0.title == title }, format: format)
        } else {
            ResultRenderer.print(sections, format: format)
        }
    }
}

/// The catalogue's filters as `query`'s options (`--posted-by <user-id>`).
enum QueryFilterOptions: OptionDeclarations {
    static var options: [DeclaredOption] {
        QueryFilter.all.map { filter in
            DeclaredOption(key: filter.name, flag: filter.name, isRequired: false, isList: false,
                           help: ArgumentHelp(filter.help, valueName: filter.valueName), parse: { $0 })
        }
    }
}
