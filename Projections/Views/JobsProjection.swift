import EventLog
public import Events
import GRDB

/// `jobs`: job posts with their visibility and purpose, and each job's interviews with their status.
///
/// Every event inserts a row or updates a small one: a post's interview count is not stored with the
/// post (which holds its whole description) but counted when read, through the SQL view `jobs` and the
/// index `job_interviews_by_job`.
public struct JobsProjection: MarketplaceProjection {
    public init() {}
    public let name = "jobs"
    /// 2: the interview count moved from a stored column of the post to read time (version 1 rewrote
    /// the post's row, description included, for every interview requested).
    public let schemaVersion = 2
    public let tables = ["job_postings", "job_interviews"]
    public let eventTypes: Set<String> = [
        JobPosted.eventType, InterviewRequested.eventType, InterviewAccepted.eventType, InterviewDeclined.eventType,
    ]

    public let schema = [
        """
        CREATE TABLE job_postings (
            job_id TEXT PRIMARY KEY NOT NULL,
            posted_by TEXT NOT NULL,
            title TEXT NOT NULL,
            description TEXT NOT NULL,
            visibility TEXT NOT NULL,
            purpose TEXT NOT NULL,
            posted_at_micros INTEGER NOT NULL
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE job_interviews (
            interview_id TEXT PRIMARY KEY NOT NULL,
            job_id TEXT NOT NULL,
            provider_id TEXT NOT NULL,
            requested_by TEXT NOT NULL,
            thread_id TEXT NOT NULL,
            status TEXT NOT NULL,
            decline_reason TEXT,
            requested_at_micros INTEGER NOT NULL,
            answered_at_micros INTEGER
        ) WITHOUT ROWID
        """,
        // Each post with its interview count. Filtering on `job_id` or `posted_by` reaches the indexes
        // (SQLite flattens the view into the query).
        """
        CREATE VIEW jobs AS
        SELECT j.job_id, j.posted_by, j.title, j.description, j.visibility, j.purpose, j.posted_at_micros,
               (SELECT count(*) FROM job_interviews i WHERE i.job_id = j.job_id) AS interview_count
        FROM job_postings j
        """,
    ]
    public let queryIndexes = [
        "CREATE INDEX job_interviews_by_job ON job_interviews(job_id, requested_at_micros)",
        "CREATE INDEX job_interviews_by_provider ON job_interviews(provider_id)",
        "CREATE INDEX job_postings_by_poster ON job_postings(posted_by, posted_at_micros)",
    ]

    public func apply(_ event: MarketplaceEvent, envelope: EventEnvelope, in context: ProjectionContext) throws {
        let now = envelope.recordedAtMicros
        switch event {
        case .jobPosted(let e):
            try context.execute(0, """
                INSERT INTO job_postings (job_id, posted_by, title, description, visibility, purpose, posted_at_micros)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """) {
                $0.bind(1, e.jobId); $0.bind(2, e.postedBy); $0.bind(3, e.title); $0.bind(4, e.description)
                $0.bind(5, e.visibility.rawValue); $0.bind(6, e.purpose.rawValue); $0.bind(7, now)
            }
        case .interviewRequested(let e):
            try context.execute(1, """
                INSERT INTO job_interviews (interview_id, job_id, provider_id, requested_by, thread_id, status, requested_at_micros)
                VALUES (?, ?, ?, ?, ?, 'requested', ?)
                """) {
                $0.bind(1, e.interviewId); $0.bind(2, e.jobId); $0.bind(3, e.providerId); $0.bind(4, e.requestedBy)
                $0.bind(5, e.threadId); $0.bind(6, now)
            }
        case .interviewAccepted(let e):
            try context.execute(2, "UPDATE job_interviews SET status = 'accepted', answered_at_micros = ? WHERE interview_id = ?") {
                $0.bind(1, now); $0.bind(2, e.interviewId)
            }
        case .interviewDeclined(let e):
            try context.execute(3, """
                UPDATE job_interviews SET status = 'declined', decline_reason = ?, answered_at_micros = ? WHERE interview_id = ?
                """) {
                $0.bind(1, e.reason); $0.bind(2, now); $0.bind(3, e.interviewId)
            }
        default:
            break
        }
    }
}
