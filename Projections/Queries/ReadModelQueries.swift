public import EventLog
import GRDB

/// The queries the CLI runs. Each first catches its view up with the log, so it answers with every
/// event committed before the call.
public final class ReadModelQueries {
    public let runner: ProjectionRunner
    public let store: any EventStoreReader

    public init(runner: ProjectionRunner, store: any EventStoreReader) {
        self.runner = runner
        self.store = store
    }

    /// A user's inbox: threads with unread counts, their messages, and shared contact details.
    public func inbox(user: String) throws(ProjectionError) -> InboxResult {
        try query("inbox") { db in
            let threads = try QueryResult.fetch(db, sql: InboxProjection.threadsQuery, arguments: [user])
            let messages = try QueryResult.fetch(db, sql: InboxProjection.messagesQuery, arguments: [user])
            let contacts = try QueryResult.fetch(db, sql: """
                SELECT c.thread_id, c.user_id, c.kind, c.email, c.phone, c.shared_at_micros
                FROM inbox_participants p JOIN inbox_contacts c ON c.thread_id = p.thread_id
                WHERE p.user_id = ?
                ORDER BY c.thread_id, c.user_id
                """, arguments: [user])
            let unread = try Int.fetchOne(db, sql: InboxProjection.unreadTotalQuery, arguments: [user]) ?? 0
            return InboxResult(threads: threads, messages: messages, contacts: contacts, unreadTotal: unread)
        }
    }

    /// A team's members (all, with their status), how and when each joined.
    public func teamRoster(team: String) throws(ProjectionError) -> QueryResult {
        try query("team_roster") { db in
            try QueryResult.fetch(db, sql: """
                SELECT team_id, user_id, role, via, invited_as, invited_by, invitation_id, status, joined_at_micros, left_at_micros
                FROM team_members WHERE team_id = ? ORDER BY joined_position
                """, arguments: [team])
        }
    }

    /// The team mailing list: each active provider's `USERID@odesk.com`, and each other member who enabled theirs.
    public func teamMailingList(team: String) throws(ProjectionError) -> QueryResult {
        try query("team_roster") { db in
            try QueryResult.fetch(db, sql: """
                SELECT user_id, role, address FROM team_mailing_list WHERE team_id = ? ORDER BY user_id
                """, arguments: [team])
        }
    }

    /// The teams a user belongs to (or belonged to).
    public func teams(ofUser user: String) throws(ProjectionError) -> QueryResult {
        try query("team_roster") { db in
            try QueryResult.fetch(db, sql: """
                SELECT m.team_id, t.name, m.role, m.via, m.status, m.joined_at_micros
                FROM team_members m JOIN team_teams t ON t.team_id = m.team_id
                WHERE m.user_id = ? ORDER BY m.joined_position
                """, arguments: [user])
        }
    }

    /// The providers on an affiliate manager's roster, with the invitation each came through.
    public func affiliateRoster(manager: String) throws(ProjectionError) -> QueryResult {
        try query("affiliate_roster") { db in
            try QueryResult.fetch(db, sql: """
                SELECT affiliate_manager_id, provider_id, invitation_id, invited_email, invited_at_micros, joined_at_micros
                FROM affiliate_roster WHERE affiliate_manager_id = ? ORDER BY joined_position
                """, arguments: [manager])
        }
    }

    /// Jobs, all or those one user posted.
    public func jobs(postedBy: String? = nil) throws(ProjectionError) -> QueryResult {
        try filtered("jobs", Self.jobsQuery(postedBy: postedBy))
    }

    /// The SQL of `jobs(postedBy:)` (filtered through `job_postings_by_poster`) and its arguments.
    public static func jobsQuery(postedBy: String?) -> (sql: String, filter: ColumnFilter) {
        let filter = ColumnFilter(["posted_by": postedBy])
        return ("""
            SELECT job_id, posted_by, title, visibility, purpose, interview_count, posted_at_micros
            FROM jobs \(filter.whereClause) ORDER BY posted_at_micros, job_id
            """, filter)
    }

    /// A job's interviews.
    public func jobInterviews(job: String) throws(ProjectionError) -> QueryResult {
        try query("jobs") { db in
            try QueryResult.fetch(db, sql: """
                SELECT interview_id, job_id, provider_id, requested_by, thread_id, status, decline_reason,
                       requested_at_micros, answered_at_micros
                FROM job_interviews WHERE job_id = ? ORDER BY requested_at_micros, interview_id
                """, arguments: [job])
        }
    }

    /// An assignment, its parties and its payments.
    public func assignment(_ id: String) throws(ProjectionError) -> AssignmentResult {
        try query("assignments") { db in
            AssignmentResult(
                assignment: try QueryResult.fetch(db, sql: """
                    SELECT assignment_id, job_id, buyer_id, provider_id, staffing_manager_id, status, hired_at_micros,
                           ended_at_micros, ended_by, paid_cents, payment_count
                    FROM assignments WHERE assignment_id = ?
                    """, arguments: [id]),
                parties: try QueryResult.fetch(db, sql: """
                    SELECT party, user_id, address FROM assignment_party_addresses WHERE assignment_id = ? ORDER BY party
                    """, arguments: [id]),
                payments: try QueryResult.fetch(db, sql: """
                    SELECT payment_id, amount_cents, currency, paid_by, paid_at_micros
                    FROM assignment_payments WHERE assignment_id = ? ORDER BY position
                    """, arguments: [id]))
        }
    }

    /// The assignments a user is a party to (as buyer, provider or staffing manager) and their payments.
    public func userAssignments(user: String) throws(ProjectionError) -> (assignments: QueryResult, payments: QueryResult) {
        try query("assignments") { db in
            (try QueryResult.fetch(db, sql: """
                SELECT a.assignment_id, p.party, a.job_id, a.buyer_id, a.provider_id, a.staffing_manager_id, a.status,
                       a.hired_at_micros, a.ended_at_micros, a.paid_cents, a.payment_count
                FROM assignment_parties p JOIN assignments a ON a.assignment_id = p.assignment_id
                WHERE p.user_id = ? ORDER BY a.hired_at_micros, a.assignment_id, p.party
                """, arguments: [user]),
             try QueryResult.fetch(db, sql: """
                SELECT assignment_id, payment_id, amount_cents, currency, paid_by, paid_at_micros
                FROM assignment_payments
                WHERE assignment_id IN (SELECT assignment_id FROM assignment_parties WHERE user_id = ?)
                ORDER BY position
                """, arguments: [user]))
        }
    }

    /// Every team, with its count of active members.
    public func allTeams() throws(ProjectionError) -> QueryResult {
        try query("team_roster") { db in
            try QueryResult.fetch(db, sql: """
                SELECT t.team_id, t.name, t.created_by, t.created_at_micros,
                       (SELECT count(*) FROM team_members m WHERE m.team_id = t.team_id AND m.status = 'active') AS members
                FROM team_teams t ORDER BY t.created_at_micros, t.team_id
                """)
        }
    }

    /// The threads of a job: each interview's thread, with whom and in which state.
    public func jobThreads(job: String) throws(ProjectionError) -> QueryResult {
        try query("jobs") { db in
            try QueryResult.fetch(db, sql: """
                SELECT thread_id, interview_id, provider_id, requested_by, status, requested_at_micros
                FROM job_interviews WHERE job_id = ? ORDER BY requested_at_micros, interview_id
                """, arguments: [job])
        }
    }

    /// A thread's facts and participants, without its messages (they are the participants' own).
    public func thread(_ id: String) throws(ProjectionError) -> (thread: QueryResult, participants: QueryResult) {
        try query("inbox") { db in
            (try QueryResult.fetch(db, sql: """
                SELECT t.thread_id, t.kind, t.subject, t.started_by, t.interview_id, t.team_id, t.started_at_micros,
                       (SELECT count(*) FROM inbox_messages m WHERE m.thread_id = t.thread_id) AS message_count
                FROM inbox_threads t WHERE t.thread_id = ?
                """, arguments: [id]),
             try QueryResult.fetch(db, sql: """
                SELECT user_id FROM inbox_participants WHERE thread_id = ? ORDER BY user_id
                """, arguments: [id]))
        }
    }

    /// One invitation; its signup token only when `showToken` (the token lets whoever holds it sign up).
    public func invitation(_ id: String, showToken: Bool) throws(ProjectionError) -> QueryResult {
        try query("invitations") { db in
            try QueryResult.fetch(db, sql: """
                SELECT invitation_id, kind, invited_by, email, user_id, team_id, role, status, sent_at_micros,
                       closed_at_micros, accepted_by, revoked_by\(showToken ? ", token" : "")
                FROM invitations WHERE invitation_id = ?
                """, arguments: [id])
        }
    }

    /// Users, all or those of one role.
    public func users(role: String? = nil) throws(ProjectionError) -> QueryResult {
        try filtered("users", Self.usersQuery(role: role))
    }

    /// The SQL of `users(role:)` (filtered through `users_by_role`) and its arguments.
    public static func usersQuery(role: String?) -> (sql: String, filter: ColumnFilter) {
        let filter = ColumnFilter(["role": role])
        return ("""
            SELECT user_id, name, email, role, invitation_id, marketplace_address, marketplace_email_enabled,
                   registered_at_micros
            FROM users \(filter.whereClause) ORDER BY position
            """, filter)
    }

    /// Invitations, filtered by inviter, email, kind (`network`, `team`) or status; nil means any.
    public func invitations(invitedBy: String? = nil, email: String? = nil, kind: String? = nil,
                            status: String? = nil) throws(ProjectionError) -> QueryResult {
        try filtered("invitations", Self.invitationsQuery(invitedBy: invitedBy, email: email, kind: kind, status: status))
    }

    /// The SQL of `invitations(invitedBy:email:kind:status:)` (filtered through `invitations_by_inviter`
    /// or `invitations_by_email` when given) and its arguments.
    public static func invitationsQuery(invitedBy: String?, email: String?, kind: String?,
                                        status: String?) -> (sql: String, filter: ColumnFilter) {
        let filter = ColumnFilter(["invited_by": invitedBy, "email": email, "kind": kind, "status": status])
        return ("""
            SELECT invitation_id, kind, invited_by, email, user_id, team_id, role, status, sent_at_micros,
                   closed_at_micros, accepted_by
            FROM invitations \(filter.whereClause) ORDER BY position
            """, filter)
    }

    /// The outbox: every invitation email and its delivery status (the token left out), oldest first.
    public func outbox(status: String? = nil) throws(ProjectionError) -> QueryResult {
        let filter = ColumnFilter(["status": status])
        return try filtered("outbox", ("""
            SELECT invitation_id, recipient, subject, inviter_id, team_id, status, attempts, message_id, relay, last_error,
                   queued_at_micros, next_attempt_at_micros, sent_at_micros, failed_at_micros
            FROM outbox \(filter.whereClause) ORDER BY position
            """, filter))
    }

    /// The pending emails due at `nowMicros` (never tried, or whose retry time has come), oldest first, at
    /// most `limit`: what a delivery pass sends.
    public func dueOutboxEmails(atMicros nowMicros: Int64, limit: Int) throws(ProjectionError) -> [OutboxEmail] {
        try query("outbox") { db in
            try Row.fetchAll(db, sql: """
                SELECT invitation_id, recipient, subject, inviter_id, inviter_name, affiliate_manager, team_name, token,
                       attempts, message_id, position
                FROM outbox WHERE status = 'pending' AND next_attempt_at_micros <= ? ORDER BY position LIMIT ?
                """, arguments: [nowMicros, limit]).map { row in
                OutboxEmail(invitationId: row[0], recipient: row[1], subject: row[2], inviterId: row[3], inviterName: row[4],
                            fromAffiliateManager: (row[5] as Int64) != 0, teamName: row[6], token: row[7], attempts: row[8],
                            messageId: row[9], position: UInt64(row[10] as Int64))
            }
        }
    }

    /// When the next pending email falls due (nil when none is pending): how long a delivery loop may sleep.
    public func nextOutboxAttemptMicros() throws(ProjectionError) -> Int64? {
        try query("outbox") { db in
            try Int64.fetchOne(db, sql: "SELECT min(next_attempt_at_micros) FROM outbox WHERE status = 'pending'")
        }
    }

    /// Whether the read models know a `kind` with this id (an unknown id is a mistake, not an empty answer).
    public func exists(_ kind: RecordKind, _ id: String) throws(ProjectionError) -> Bool {
        let home = kind.home
        return try query(home.view) { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(home.table) WHERE \(home.column) = ?)", arguments: [id]) ?? false
        }
    }

    /// A read-only SQL query over all the views (each view's tables under their own names; the
    /// `projection_checkpoint` table of a view is reachable as `<view>.projection_checkpoint`). With
    /// `timeLimit`, the statement is stopped after that many seconds (`ProjectionError.queryTimeLimit`);
    /// unsafe functions are refused (`ProjectionRunner.readOnlySQL`).
    public func sql(_ sql: String, timeLimit: Double? = nil) throws(ProjectionError) -> QueryResult {
        try runner.catchUp(store)
        return try runner.readOnlySQL(sql, timeLimit: timeLimit)
    }

    /// Runs a filtered query of a view: its SQL and filter as one of the `…Query` functions makes them.
    private func filtered(_ view: String, _ query: (sql: String, filter: ColumnFilter)) throws(ProjectionError) -> QueryResult {
        try self.query(view) { db in try QueryResult.fetch(db, sql: query.sql, arguments: query.filter.arguments) }
    }

    private func query<T>(_ view: String, _ body: (Database) throws -> T) throws(ProjectionError) -> T {
        try runner.catchUp(store, views: [view])
        return try runner.read(view: view, body)
    }
}
