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

    @Flag(help: "invitation: show the signup token too (whoever holds it can sign up: share it only with the invitee).")
    var showToken = false

    /// The query, checked against the catalogue (`QueryRequest`): its errors are usage errors.
    private var request: QueryRequest {
        get throws {
            do throws(ApplicationError) {
                var given = filters.values.compactMapValues(\.first)
                if showToken { given[QueryRequest.showTokenFilter] = "true" }
                return try QueryRequest(view: view, key: key, filters: given)
            } catch {
                throw ValidationError(error.message)
            }
        }
    }

    mutating func validate() throws {
        // Before the key is looked at: `--email x@y` is an unknown option, not a key (and its value,
        // perhaps personal data, is not repeated).
        if let unknown = Self.unknownOption(in: CommandLine.arguments) {
            let filters = QueryFilter.all.map { "--\($0.name)" }.joined(separator: ", ")
            throw ValidationError("query has no option '\(unknown)': its filters are \(filters) (besides --show-token, --format, --store and --lock-timeout); see `teamlog query --help`.")
        }
        let request = try request
        if format == .mailto, request.view.addressSection == nil {
            let views = QueryView.all.filter { $0.addressSection != nil }.map(\.name).joined(separator: ", ")
            throw ValidationError("--format mailto is for the views with addresses to email (\(views)); '\(view)' has none: choose table, json or csv")
        }
    }

    /// The first `--name` among the arguments that is none of `query`'s options, as written up to any `=`.
    static func unknownOption(in arguments: [String]) -> String? {
        let known = Set(["store", "lock-timeout", "format", "help", QueryRequest.showTokenFilter] + QueryFilter.all.map(\.name))
        var index = arguments.firstIndex(of: "query").map { $0 + 1 } ?? arguments.endIndex
        while index < arguments.endIndex, arguments[index] != "--" {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--") else { continue }
            let name = String(argument.dropFirst(2).prefix { $0 != "=" })
            if !known.contains(name) { return "--" + name }
            // The option's value is the next argument (unless given as --name=value): skip it.
            if !argument.contains("="), name != "help", name != QueryRequest.showTokenFilter { index += 1 }
        }
        return nil
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
