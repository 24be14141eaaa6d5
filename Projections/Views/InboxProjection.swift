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

    public func apply(_ event: MarketplaceEvent, envelope: RecordedEvent, in db: Database) throws {
        let now = envelope.recordedAtMicros
        switch event {
        case .threadStarted(let e):
            try db.run("""
                INSERT INTO inbox_threads (thread_id, kind, subject, started_by, interview_id, team_id, started_at_micros)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [e.threadId, e.kind.rawValue, e.subject, e.startedBy, e.interviewId, e.teamId, now])
            for participant in Set(e.participants + [e.startedBy]).sorted() {
                try db.run("""
                    INSERT INTO inbox_participants (thread_id, user_id, last_activity_micros) VALUES (?, ?, ?)
                    """, [e.threadId, participant, now])
            }
        case .messageSent(let e):
            let thread = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT kind, message_count FROM inbox_threads WHERE thread_id = ?"),
                arguments: [e.threadId])
            let kind: String = thread?[0] ?? ThreadKind.direct.rawValue
            let seq: Int64 = (thread?[1] ?? 0) + 1
            try db.run("""
                INSERT INTO inbox_messages (position, thread_id, seq, message_id, sender_id, body,
                                            is_interview_invitation, sent_at_micros) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [Int64(envelope.position), e.threadId, seq, e.messageId, e.senderId, e.body,
                      seq == 1 && kind == ThreadKind.interview.rawValue, now])
            try db.run("UPDATE inbox_threads SET message_count = ?, last_message_at_micros = ? WHERE thread_id = ?",
                       [seq, now, e.threadId])
            try db.run("""
                UPDATE inbox_participants
                SET unread_count = CASE WHEN user_id = ? THEN 0 ELSE unread_count + 1 END, last_activity_micros = ?
                WHERE thread_id = ?
                """, [e.senderId, now, e.threadId])
        case .contactDetailsShared(let e):
            try db.run("""
                INSERT OR REPLACE INTO inbox_contacts (thread_id, user_id, kind, email, phone, shared_at_micros)
                VALUES (?, ?, ?, ?, ?, ?)
                """, [e.threadId, e.userId, e.kind.rawValue, e.email, e.phone, now])
        default:
            break
        }
    }
}
