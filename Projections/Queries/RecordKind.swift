/// The things a query can be keyed by, and where the read models record each one that exists: an
/// unknown id is told apart from one with nothing to show.
public enum RecordKind: String, Sendable, CaseIterable {
    case user, team, job, assignment, thread, invitation

    /// The view, its table and the id column that hold one row per such thing.
    var home: (view: String, table: String, column: String) {
        switch self {
        case .user: return ("users", "users", "user_id")
        case .team: return ("team_roster", "team_teams", "team_id")
        case .job: return ("jobs", "job_postings", "job_id")
        case .assignment: return ("assignments", "assignments", "assignment_id")
        case .thread: return ("inbox", "inbox_threads", "thread_id")
        case .invitation: return ("invitations", "invitations", "invitation_id")
        }
    }

    /// How to find the right id, for the message about an unknown one.
    public var listing: String {
        switch self {
        case .user: return "`teamlog query users` lists the users"
        case .team: return "`teamlog query all-teams` lists the teams"
        case .job: return "`teamlog query jobs` lists the jobs"
        case .assignment: return "`teamlog query user-assignments <user-id>` lists a user's assignments"
        case .thread: return "`teamlog query job-threads <job-id>` lists a job's threads, `teamlog query inbox <user-id>` a user's"
        case .invitation: return "`teamlog query invitations` lists the invitations"
        }
    }
}
