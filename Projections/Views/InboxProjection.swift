import EventLog
import Events
import GRDB

/// `inbox`: Message Center threads and messages per user, with unread counts and shared contact details.
///
/// A participant's unread count is the number of messages others sent in the thread since that
/// participant last wrote in it (the catalogue has no "read" event: replying is what marks a thread read).
/// An interview thread's first message is the buyer's invitation (`is_interview_invitation = 1`).
public struct InboxProjection: MarketplaceProjection {
    public init() {}
    public let name = "inbox"
    public let schemaVersion = 1
    public let tables = ["inbox_threads", "inbox_participants", "inbox_messages", "inbox_contacts"]
    public let eventTypes: Set<String> = [ThreadStarted.eventType, MessageSent.eventType, ContactDetailsShared.eventType]

    public let schema = [
        """
        CREATE TABLE inbox_threads (
            thread_id TEXT PRIMARY KEY NOT NULL,
            kind TEXT NOT NULL,
            subject TEXT NOT NULL,
            started_by TEXT NOT NULL,
            interview_id TEXT,
            team_id TEXT,
            started_at_micros INTEGER NOT NULL,
            message_count INTEGER NOT NULL DEFAULT 0,
            last_message_at_micros INTEGER
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE inbox_participants (
            thread_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            unread_count INTEGER NOT NULL DEFAULT 0,
            last_activity_micros INTEGER NOT NULL,
            PRIMARY KEY (thread_id, user_id)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE inbox_messages (
            position INTEGER PRIMARY KEY NOT NULL,
            thread_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            message_id TEXT NOT NULL,
            sender_id TEXT NOT NULL,
            body TEXT NOT NULL,
            is_interview_invitation INTEGER NOT NULL,
            sent_at_micros INTEGER NOT NULL
        )
        """,
        """
        CREATE TABLE inbox_contacts (
            thread_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            email TEXT NOT NULL,
            phone TEXT,
            shared_at_micros INTEGER NOT NULL,
            PRIMARY KEY (thread_id, user_id)
        ) WITHOUT ROWID
        """,
    ]
    public let queryIndexes = [
        "CREATE INDEX inbox_participants_by_user ON inbox_participants(user_id, last_activity_micros)",
        "CREATE INDEX inbox_messages_by_thread ON inbox_messages(thread_id, seq)",
    ]

    public func apply(_ event: MarketplaceEvent, envelope: RecordedEvent, in context: ProjectionContext) throws {
        let now = envelope.recordedAtMicros
        switch event {
        case .threadStarted(let e):
            try context.execute(0, """
                INSERT INTO inbox_threads (thread_id, kind, subject, started_by, interview_id, team_id, started_at_micros)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """) {
                $0.bind(1, e.threadId); $0.bind(2, e.kind.rawValue); $0.bind(3, e.subject); $0.bind(4, e.startedBy)
                $0.bind(5, e.interviewId); $0.bind(6, e.teamId); $0.bind(7, now)
            }
            for participant in Set(e.participants + [e.startedBy]).sorted() {
                try context.execute(1, "INSERT INTO inbox_participants (thread_id, user_id, last_activity_micros) VALUES (?, ?, ?)") {
                    $0.bind(1, e.threadId); $0.bind(2, participant); $0.bind(3, now)
                }
            }
        case .messageSent(let e):
            // One statement counts the message and tells the thread's kind.
            let thread = try context.queryRow(2, """
                UPDATE inbox_threads SET message_count = message_count + 1, last_message_at_micros = ?
                WHERE thread_id = ? RETURNING message_count, kind = 'interview'
                """, { $0.bind(1, now); $0.bind(2, e.threadId) }, { ($0.int64(0), $0.int64(1) != 0) })
            let seq = thread?.0 ?? 1
            let isInterview = thread?.1 ?? false
            try context.execute(3, """
                INSERT INTO inbox_messages (position, thread_id, seq, message_id, sender_id, body,
                                            is_interview_invitation, sent_at_micros) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """) {
                $0.bind(1, envelope.position); $0.bind(2, e.threadId); $0.bind(3, seq); $0.bind(4, e.messageId)
                $0.bind(5, e.senderId); $0.bind(6, e.body); $0.bind(7, seq == 1 && isInterview); $0.bind(8, now)
            }
            try context.execute(4, """
                UPDATE inbox_participants
                SET unread_count = CASE WHEN user_id = ?1 THEN 0 ELSE unread_count + 1 END, last_activity_micros = ?2
                WHERE thread_id = ?3
                """) {
                $0.bind(1, e.senderId); $0.bind(2, now); $0.bind(3, e.threadId)
            }
        case .contactDetailsShared(let e):
            try context.execute(5, """
                INSERT OR REPLACE INTO inbox_contacts (thread_id, user_id, kind, email, phone, shared_at_micros)
                VALUES (?, ?, ?, ?, ?, ?)
                """) {
                $0.bind(1, e.threadId); $0.bind(2, e.userId); $0.bind(3, e.kind.rawValue); $0.bind(4, e.email)
                $0.bind(5, e.phone); $0.bind(6, now)
            }
        default:
            break
        }
    }
}
