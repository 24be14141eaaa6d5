import GRDB
import Projections

/// The views `teamlog query` answers, as a table: name, the key it needs, and how to ask the read models.
struct QueryView: Sendable {
    /// What a query was given on the command line.
    struct Arguments: Sendable {
        var key: String
        var role: String?
        var postedBy: String?
        var invitedBy: String?
        var kind: String?
        var status: String?
    }

    var name: String
    /// The name of the required key argument (a user, team, job…), nil when none.
    var key: String?
    var abstract: String
    var example: String
    var answer: @Sendable (ReadModelQueries, Arguments) throws(ProjectionError) -> [ResultSection]

    static let all: [QueryView] = [
        QueryView(name: "inbox", key: "user-id", abstract: "A user's Message Center: threads with unread counts, messages, shared contacts.",
                  example: "teamlog query inbox u-sam") { queries, arguments throws(ProjectionError) in
            let inbox = try queries.inbox(user: arguments.key)
            return [ResultSection("threads", inbox.threads), ResultSection("messages", inbox.messages),
                    ResultSection("contacts", inbox.contacts),
                    ResultSection("unread", pairs: [("user_id", arguments.key.databaseValue), ("unread_total", inbox.unreadTotal.databaseValue)])]
        },
        QueryView(name: "team-roster", key: "team-id", abstract: "A team's members (role, how and when they joined) and its mailing list.",
                  example: "teamlog query team-roster t-acme") { queries, arguments throws(ProjectionError) in
            [ResultSection("members", try queries.teamRoster(team: arguments.key)),
             ResultSection("mailing_list", try queries.teamMailingList(team: arguments.key))]
        },
        QueryView(name: "mailing-list", key: "team-id", abstract: "The team mailing list: every address \"email your team\" reaches.",
                  example: "teamlog query mailing-list t-acme") { queries, arguments throws(ProjectionError) in
            [ResultSection("mailing_list", try queries.teamMailingList(team: arguments.key))]
        },
        QueryView(name: "teams", key: "user-id", abstract: "The teams a user belongs (or belonged) to.",
                  example: "teamlog query teams u-sam") { queries, arguments throws(ProjectionError) in
            [ResultSection("teams", try queries.teams(ofUser: arguments.key))]
        },
        QueryView(name: "affiliate-roster", key: "manager-id", abstract: "The providers on an affiliate manager's roster.",
                  example: "teamlog query affiliate-roster u-amy") { queries, arguments throws(ProjectionError) in
            [ResultSection("roster", try queries.affiliateRoster(manager: arguments.key))]
        },
        QueryView(name: "jobs", key: nil, abstract: "Jobs, all or those one user posted (--posted-by).",
                  example: "teamlog query jobs --posted-by u-acme") { queries, arguments throws(ProjectionError) in
            [ResultSection("jobs", try queries.jobs(postedBy: arguments.postedBy))]
        },
        QueryView(name: "interviews", key: "job-id", abstract: "A job's interviews and their status.",
                  example: "teamlog query interviews j-recruit") { queries, arguments throws(ProjectionError) in
            [ResultSection("interviews", try queries.jobInterviews(job: arguments.key))]
        },
        QueryView(name: "assignment", key: "assignment-id", abstract: "An assignment, its parties (with the address to email each) and payments.",
                  example: "teamlog query assignment a-1") { queries, arguments throws(ProjectionError) in
            let assignment = try queries.assignment(arguments.key)
            return [ResultSection("assignment", assignment.assignment), ResultSection("parties", assignment.parties),
                    ResultSection("payments", assignment.payments)]
        },
        QueryView(name: "users", key: nil, abstract: "Users, all or those of one role (--role).",
                  example: "teamlog query users --role provider") { queries, arguments throws(ProjectionError) in
            [ResultSection("users", try queries.users(role: arguments.role))]
        },
        QueryView(name: "invitations", key: nil,
                  abstract: "Invitations (network and team), filtered by --invited-by, --kind (network|team), --status.",
                  example: "teamlog query invitations --invited-by u-amy") { queries, arguments throws(ProjectionError) in
            [ResultSection("invitations", try queries.invitations(invitedBy: arguments.invitedBy, kind: arguments.kind,
                                                                  status: arguments.status))]
        },
    ]

    static func named(_ name: String) -> QueryView? {
        all.first { $0.name == name }
    }

    static var helpText: String {
        all.map { view in
            let usage = view.name + (view.key.map { " <\($0)>" } ?? "")
            return "  \(usage.padding(toLength: 28, withPad: " ", startingAt: 0))\(view.abstract)\n      e.g. \(view.example)"
        }.joined(separator: "\n")
    }
}
