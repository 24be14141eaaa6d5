public import Access
import GRDB
public import Projections

/// The policy's questions about a user (`MembershipLookup`), answered from the read models (each query
/// catches its view up first): team memberships from team_roster, parties from assignments, posters
/// from jobs. Failures are the read models' (`ProjectionError`).
public struct ReadModelMembership: MembershipLookup {
    public let queries: ReadModelQueries

    public init(queries: ReadModelQueries) {
        self.queries = queries
    }

    public func isActiveMember(user: String, team: String) throws -> Bool {
        try queries.teams(ofUser: user).records.contains { row in
            row["team_id"] == team.databaseValue && row["status"] == "active".databaseValue
        }
    }

    public func isParty(user: String, assignment: String) throws -> Bool {
        try queries.assignment(assignment).parties.records.contains { $0["user_id"] == user.databaseValue }
    }

    public func isPoster(user: String, job: String) throws -> Bool {
        try queries.jobs(postedBy: user).records.contains { $0["job_id"] == job.databaseValue }
    }
}

extension QueryRequest {
    /// The query as the access policy sees it: the view, its key and its filters by option name.
    public var readRequest: ReadRequest {
        var filters: [String: String] = [:]
        let given: [(String, String?)] = [("role", arguments.role), ("posted-by", arguments.postedBy),
                                          ("invited-by", arguments.invitedBy), ("invitee", arguments.invitee), ("kind", arguments.kind),
                                          ("status", arguments.status), ("delivery", arguments.delivery)]
        for (name, value) in given { if let value { filters[name] = value } }
        if arguments.showToken { filters[QueryRequest.showTokenFilter] = "true" }
        return .view(name: view.name, key: view.key == nil ? nil : arguments.key, filters: filters)
    }
}
