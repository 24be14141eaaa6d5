import EventLog
import Events
import GRDB

/// `jobs`: job posts with their visibility and purpose, and each job's interviews with their status.
public struct JobsProjection: MarketplaceProjection {
    public init() {}
    public let name = "jobs"
    public let schemaVersion = 1
    public let tables = ["jobs", "job_interviews"]
    public let eventTypes: Set<String> = [
        JobPosted.eventType, InterviewRequested.eventType, InterviewAccepted.eventType, InterviewDeclined.eventType,
    ]

    public let schema = [
        """
        CREATE TABLE jobs (
            job_id TEXT PRIMARY KEY NOT NULL,
            posted_by TEXT NOT NULL,
            title TEXT NOT NULL,
            description TEXT NOT NULL,
            visibility TEXT NOT NULL,
            purpose TEXT NOT NULL,
            posted_at_micros INTEGER NOT NULL,
            interview_count INTEGER NOT NULL DEFAULT 0
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
    ]
    public let queryIndexes = [
        "CREATE INDEX job_interviews_by_job ON job_interviews(job_id, requested_at_micros)",
        "CREATE INDEX job_interviews_by_provider ON job_interviews(provider_id)",
        "CREATE INDEX jobs_by_poster ON jobs(posted_by, posted_at_micros)",
    ]

    public func apply(_ event: MarketplaceEvent, envelope: RecordedEvent, in db: Database) throws {
        let now = envelope.recordedAtMicros
        switch event {
        case .jobPosted(let e):
            try db.run("""
                INSERT INTO jobs (job_id, posted_by, title, description, visibility, purpose, posted_at_micros)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [e.jobId, e.postedBy, e.title, e.description, e.visibility.rawValue, e.purpose.rawValue, now])
        case .interviewRequested(let e):
            try db.run("""
                INSERT INTO job_interviews (interview_id, job_id, provider_id, requested_by, thread_id, status, requested_at_micros)
                VALUES (?, ?, ?, ?, ?, 'requested', ?)
                """, [e.interviewId, e.jobId, e.providerId, e.requestedBy, e.threadId, now])
            try db.run("UPDATE jobs SET interview_count = interview_count + 1 WHERE job_id = ?", [e.jobId])
        case .interviewAccepted(let e):
            try db.run("UPDATE job_interviews SET status = 'accepted', answered_at_micros = ? WHERE interview_id = ?",
                       [now, e.interviewId])
        case .interviewDeclined(let e):
            try db.run("""
                UPDATE job_interviews SET status = 'declined', decline_reason = ?, answered_at_micros = ? WHERE interview_id = ?
                """, [e.reason, now, e.interviewId])
        default:
            break
        }
    }
}
