import Foundation
import Events
import GRDB
public import Projections

/// The views `teamlog query` answers (and a server's `GET /v1/views/…`), as a table: name, the key it
/// needs, and how to ask the read models.
public struct QueryView: Sendable {
    /// What a query was given: the key (empty when the view takes none) and the filters.
    public struct Arguments: Sendable {
        public var key: String
        public var role: String?
        public var postedBy: String?
        public var invitedBy: String?
        public var kind: String?
        public var status: String?
        public var delivery: String?
        public var invitee: String?
        /// Whether an invitation's signup token is shown (`--show-token`; to operators only).
        public var showToken = false
    }

    public var name: String
    /// The name of the required key argument (a user, team, job…), nil when none.
    public var key: String?
    /// What the key names: an id the read models do not know is refused (`no team "t-x"`).
    public var keyKind: RecordKind?
    public var abstract: String
    public var example: String
    /// The section whose `address` column `--format mailto` turns into a `mailto:` URL (nil: the view has
    /// no addresses to email).
    public var addressSection: String? = nil
    /// Whether it shows a signup token when asked (`--show-token`).
    public var showsToken = false
    var answer: @Sendable (ReadModelQueries, Arguments) throws(ProjectionError) -> [ResultSection]

    public static let all: [QueryView] = [
        QueryView(name: "inbox", key: "user-id", keyKind: .user, abstract: "A user's Message Center: threads with unread counts, messages, shared contacts.",
                  example: "teamlog query inbox u-sam") { queries, arguments throws(ProjectionError) in
            let inbox = try queries.inbox(user: arguments.key)
            return [ResultSection("threads", inbox.threads), ResultSection("messages", inbox.messages),
                    ResultSection("contacts", inbox.contacts),
                    ResultSection("unread", pairs: [("user_id", arguments.key.databaseValue), ("unread_total", inbox.unreadTotal.databaseValue)])]
        },
        QueryView(name: "team-roster", key: "team-id", keyKind: .team, abstract: "A team's members (role, how and when they joined) and its mailing list.",
                  example: "teamlog query team-roster t-acme", addressSection: "mailing_list") { queries, arguments throws(ProjectionError) in
            [ResultSection("members", try queries.teamRoster(team: arguments.key)),
             ResultSection("mailing_list", try queries.teamMailingList(team: arguments.key))]
        },
        QueryView(name: "mailing-list", key: "team-id", keyKind: .team,
                  abstract: "The team mailing list: every address \"email your team\" reaches (--format mailto: as a mailto: URL).",
                  example: "teamlog query mailing-list t-acme --format mailto", addressSection: "mailing_list") { queries, arguments throws(ProjectionError) in
            [ResultSection("mailing_list", try queries.teamMailingList(team: arguments.key))]
        },
        QueryView(name: "teams", key: "user-id", keyKind: .user, abstract: "The teams a user belongs (or belonged) to.",
                  example: "teamlog query teams u-sam") { queries, arguments throws(ProjectionError) in
            [ResultSection("teams", try queries.teams(ofUser: arguments.key))]
        },
        QueryView(name: "affiliate-roster", key: "manager-id", keyKind: .user, abstract: "The providers on an affiliate manager's roster.",
                  example: "teamlog query affiliate-roster u-amy") { queries, arguments throws(ProjectionError) in
            [ResultSection("roster", try queries.affiliateRoster(manager: arguments.key))]
        },
        QueryView(name: "jobs", key: nil, abstract: "Jobs, all or those one user posted (--posted-by).",
                  example: "teamlog query jobs --posted-by u-acme") { queries, arguments throws(ProjectionError) in
            [ResultSection("jobs", try queries.jobs(postedBy: arguments.postedBy))]
        },
        QueryView(name: "interviews", key: "job-id", keyKind: .job, abstract: "A job's interviews and their status.",
                  example: "teamlog query interviews j-recruit") { queries, arguments throws(ProjectionError) in
            [ResultSection("interviews", try queries.jobInterviews(job: arguments.key))]
        },
        QueryView(name: "assignment", key: "assignment-id", keyKind: .assignment,
                  abstract: "An assignment, its parties (with the address to email each; --format mailto: email all parties) and payments.",
                  example: "teamlog query assignment a-1", addressSection: "parties") { queries, arguments throws(ProjectionError) in
            let assignment = try queries.assignment(arguments.key)
            return [ResultSection("assignment", assignment.assignment), ResultSection("parties", assignment.parties),
                    ResultSection("payments", assignment.payments)]
        },
        QueryView(name: "users", key: nil, abstract: "Users, all or those of one role (--role).",
                  example: "teamlog query users --role provider") { queries, arguments throws(ProjectionError) in
            [ResultSection("users", try queries.users(role: arguments.role))]
        },
        QueryView(name: "invitations", key: nil,
                  abstract: "Invitations (network and team), filtered by --invited-by, --invitee (the address invited), --kind (network|team), --status.",
                  example: "teamlog query invitations --invited-by u-amy") { queries, arguments throws(ProjectionError) in
            [ResultSection("invitations", try queries.invitations(invitedBy: arguments.invitedBy, email: arguments.invitee,
                                                                  kind: arguments.kind, status: arguments.status))]
        },
        QueryView(name: "invitation", key: "invitation-id", keyKind: .invitation,
                  abstract: "One invitation (network or team); its signup token only with --show-token.",
                  example: "teamlog query invitation inv-raj --show-token", showsToken: true) { queries, arguments throws(ProjectionError) in
            [ResultSection("invitation", try queries.invitation(arguments.key, showToken: arguments.showToken))]
        },
        QueryView(name: "user-assignments", key: "user-id", keyKind: .user,
                  abstract: "The assignments a user is a party to (buyer, provider, staffing manager) and their payments.",
                  example: "teamlog query user-assignments u-bob") { queries, arguments throws(ProjectionError) in
            let answer = try queries.userAssignments(user: arguments.key)
            return [ResultSection("assignments", answer.assignments), ResultSection("payments", answer.payments)]
        },
        QueryView(name: "all-teams", key: nil, abstract: "Every team, with its count of active members.",
                  example: "teamlog query all-teams") { queries, _ throws(ProjectionError) in
            [ResultSection("teams", try queries.allTeams())]
        },
        QueryView(name: "thread", key: "thread-id", keyKind: .thread,
                  abstract: "A thread: its kind, subject, starter, participants and message count (not its messages).",
                  example: "teamlog query thread th-1") { queries, arguments throws(ProjectionError) in
            let answer = try queries.thread(arguments.key)
            return [ResultSection("thread", answer.thread), ResultSection("participants", answer.participants)]
        },
        QueryView(name: "job-threads", key: "job-id", keyKind: .job, abstract: "A job's threads: each interview's, with whom and its status.",
                  example: "teamlog query job-threads j-recruit") { queries, arguments throws(ProjectionError) in
            [ResultSection("threads", try queries.jobThreads(job: arguments.key))]
        },
        QueryView(name: "outbox", key: nil,
                  abstract: "The invitation emails and their delivery (pending, sent, failed, cancelled), filtered by --delivery; `teamlog deliver` sends them.",
                  example: "teamlog query outbox --delivery pending") { queries, arguments throws(ProjectionError) in
            [ResultSection("outbox", try queries.outbox(status: arguments.delivery))]
        },
    ]

    public static func named(_ name: String) -> QueryView? {
        all.first { $0.name == name }
    }
}

/// A filter a query may be given (`--posted-by u-1`, `?postedBy=u-1`): its name, its help and the values
/// it allows (a value no row can have is a mistake, not an empty answer).
public struct QueryFilter: Sendable {
    /// The option's name (`posted-by`).
    public var name: String
    public var valueName: String
    public var help: String
    /// A filter's option name from its name as given in a URL: `postedBy` or `posted-by` is `posted-by`.
    public static func optionName(_ given: String) -> String {
        var name = ""
        for character in given {
            if character.isUppercase {
                name += "-" + character.lowercased()
            } else {
                name.append(character)
            }
        }
        return name
    }

    /// The values it takes, nil when any.
    public var allowed: [String]?
    var set: @Sendable (inout QueryView.Arguments, String) -> Void

    public static let all: [QueryFilter] = [
        QueryFilter(name: "role", valueName: "role", help: "users: only this role.", allowed: AccountRole.allCases.map(\.rawValue)) { $0.role = $1 },
        QueryFilter(name: "posted-by", valueName: "user-id", help: "jobs: only those posted by this user.", allowed: nil) { $0.postedBy = $1 },
        QueryFilter(name: "invited-by", valueName: "user-id", help: "invitations: only those sent by this user.", allowed: nil) { $0.invitedBy = $1 },
        QueryFilter(name: "invitee", valueName: "email", help: "invitations: only those sent to this address.", allowed: nil) {
            $0.invitee = $1.trimmingCharacters(in: .whitespaces).lowercased()
        },
        QueryFilter(name: "kind", valueName: "kind", help: "invitations: network or team.", allowed: ["network", "team"]) { $0.kind = $1 },
        QueryFilter(name: "status", valueName: "status", help: "invitations: pending, accepted, revoked, expired.",
                    allowed: ["pending", "accepted", "revoked", "expired"]) { $0.status = $1 },
        QueryFilter(name: "delivery", valueName: "status", help: "outbox: pending, sent, failed, cancelled.",
                    allowed: ["pending", "sent", "failed", "cancelled"]) { $0.delivery = $1 },
    ]
}

/// A query checked against the catalogue: the view, its key and its filters, ready to run.
public struct QueryRequest: Sendable {
    public var view: QueryView
    public var arguments: QueryView.Arguments

    /// The filter that asks for an invitation's signup token (`--show-token`, `?showToken=true`): a flag,
    /// not one of `QueryFilter.all`.
    public static let showTokenFilter = "show-token"

    /// Checks a query: the view exists, its key is given when it needs one and only then, each filter is
    /// known and its value one it allows. The message of the error says what to give instead.
    public init(view name: String, key: String?, filters: [String: String]) throws(ApplicationError) {
        guard let view = QueryView.named(name) else {
            throw ApplicationError(.usage, "there is no view '\(name)'; the views are: \(QueryView.all.map(\.name).joined(separator: ", ")).")
        }
        if let keyName = view.key, key == nil {
            throw ApplicationError(.usage, "'\(name)' needs a <\(keyName)>, e.g. \(view.example)")
        }
        if view.key == nil, let key {
            throw ApplicationError(.usage, "'\(name)' takes no key (got '\(key)'); filter it with its options, e.g. \(view.example)")
        }
        var arguments = QueryView.Arguments(key: key ?? "")
        for filter in QueryFilter.all {
            guard let value = filters[filter.name] else { continue }
            if let allowed = filter.allowed, !allowed.contains(value) {
                throw ApplicationError(.usage, "--\(filter.name) takes one of: \(allowed.joined(separator: ", ")) (got '\(value)').")
            }
            filter.set(&arguments, value)
        }
        if let showToken = filters[Self.showTokenFilter] {
            guard view.showsToken else {
                throw ApplicationError(.usage, "'\(name)' shows no token; --show-token goes with: \(QueryView.all.filter(\.showsToken).map(\.name).joined(separator: ", ")).")
            }
            guard showToken == "true" || showToken == "false" else {
                throw ApplicationError(.usage, "show-token takes true or false (got '\(showToken)').")
            }
            arguments.showToken = showToken == "true"
        }
        if let unknown = filters.keys.sorted().first(where: { name in
            name != Self.showTokenFilter && !QueryFilter.all.contains { $0.name == name }
        }) {
            throw ApplicationError(.usage, "there is no filter '\(unknown)'; the filters are: \(QueryFilter.all.map(\.name).joined(separator: ", ")).")
        }
        self.view = view
        self.arguments = arguments
    }

    /// The view's answer from the read models (each view caught up first). A key the read models do not
    /// know is refused as missing input, naming it: when the answer's first part is empty, the key is
    /// looked up (an answer with rows shows it exists, and needs no other view).
    public func run(on queries: ReadModelQueries) throws(ApplicationError) -> [ResultSection] {
        let answer = try Self.projecting { () throws(ProjectionError) in try view.answer(queries, arguments) }
        guard let kind = view.keyKind, answer.first?.result.rows.isEmpty ?? true else { return answer }
        if try !Self.projecting({ () throws(ProjectionError) in try queries.exists(kind, arguments.key) }) {
            throw ApplicationError(.missingInput, "no \(kind.rawValue) \"\(arguments.key)\": check the id (\(kind.listing))")
        }
        return answer
    }

    private static func projecting<T>(_ body: () throws(ProjectionError) -> T) throws(ApplicationError) -> T {
        do throws(ProjectionError) { return try body() } catch { throw ApplicationError(projection: error) }
    }
}
