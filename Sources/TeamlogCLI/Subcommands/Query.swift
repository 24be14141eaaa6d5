import ArgumentParser
import Events
import Projections

/// `teamlog query <view> [key]`: one read model's answer, caught up with the log first.
struct Query: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Query a read model (caught up with the log first).",
        discussion: "Views:\n\(QueryView.helpText)\n\nFormats: --format table (default), json, csv.")

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("The view (listed below).", valueName: "view"))
    var view: String

    @Argument(help: ArgumentHelp("The view's key: a user, team, job, manager or assignment id.", valueName: "key"))
    var key: String?

    @Option(help: "Output format: table, json or csv.")
    var format: OutputFormat = .table

    @Option(help: ArgumentHelp("users: only this role.", valueName: "role"))
    var role: String?

    @Option(help: ArgumentHelp("jobs: only those posted by this user.", valueName: "user-id"))
    var postedBy: String?

    @Option(help: ArgumentHelp("invitations: only those sent by this user.", valueName: "user-id"))
    var invitedBy: String?

    @Option(help: ArgumentHelp("invitations: network or team.", valueName: "kind"))
    var kind: String?

    @Option(help: ArgumentHelp("invitations: pending, accepted, revoked, expired.", valueName: "status"))
    var status: String?

    mutating func validate() throws {
        guard let selected = QueryView.named(view) else {
            throw ValidationError("there is no view '\(view)'; the views are: \(QueryView.all.map(\.name).joined(separator: ", ")).")
        }
        if let keyName = selected.key, key == nil {
            throw ValidationError("'\(view)' needs a <\(keyName)>, e.g. \(selected.example)")
        }
        if selected.key == nil, let key {
            throw ValidationError("'\(view)' takes no key (got '\(key)'); filter it with its options, e.g. \(selected.example)")
        }
        // A filter value no row can have is a mistake, not an empty answer.
        try Self.check(role, "--role", among: AccountRole.allCases.map(\.rawValue))
        try Self.check(kind, "--kind", among: ["network", "team"])
        try Self.check(status, "--status", among: ["pending", "accepted", "revoked", "expired"])
    }

    private static func check(_ value: String?, _ option: String, among allowed: [String]) throws(ValidationError) {
        guard let value, !allowed.contains(value) else { return }
        throw ValidationError("\(option) takes one of: \(allowed.joined(separator: ", ")) (got '\(value)').")
    }

    func run() throws {
        guard let selected = QueryView.named(view) else { throw ValidationError("there is no view '\(view)'.") }
        let store = Store(storeOptions)
        let log = try store.openForReading()
        let runner = try store.openRunner()
        defer { runner.close() }
        let arguments = QueryView.Arguments(key: key ?? "", role: role, postedBy: postedBy, invitedBy: invitedBy,
                                            kind: kind, status: status)
        let sections: [ResultSection]
        do throws(ProjectionError) {
            sections = try selected.answer(ReadModelQueries(runner: runner, store: log), arguments)
        } catch {
            throw CLIError(projection: error)
        }
        ResultRenderer.print(sections, format: format)
    }
}
