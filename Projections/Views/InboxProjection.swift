import EventLog
public import Events
import GRDB

/// `inbox`: Message Center threads and messages per user, with unread counts and shared contact details.
///
/// The tables only ever receive inserts, one row per fact (a thread, a participant, a message, a
/// contact shared): no event updates an earlier row, which keeps catch-ups and rebuilds to one
/// statement per row. What is derived from several rows (a thread's message count, a message's number
/// in its thread, a participant's unread count) is computed when read, through the view
/// `inbox_thread_summary` and `InboxProjection.messagesQuery`, with the indexes below.
///
/// A participant's unread count is the number of messages others sent in the thread since that
/// participant last wrote in it (the catalogue has no "read" event: replying is what marks a thread read).
/// An interview thread's first message is the buyer's invitation (`is_interview_invitation = 1`).
public struct InboxProjection: MarketplaceProjection {
    public init() {}
    public let name = "inbox"
    /// 2: counters moved from stored columns to read time (version 1 updated three rows per message).
    public let schemaVersion = 2
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
            started_at_micros INTEGER NOT NULL
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE inbox_participants (
            thread_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            PRIMARY KEY (thread_id, user_id)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE inbox_messages (
            position INTEGER PRIMARY KEY NOT NULL,
            thread_id TEXT NOT NULL,
            message_id TEXT NOT NULL,
            sender_id TEXT NOT NULL,
            sent_at_micros INTEGER NOT NULL,
            body TEXT NOT NULL
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
        // Each thread of each participant, with the counts derived from its messages. Filtering on
        // `user_id` or `thread_id` reaches the indexes (SQLite flattens the view into the query).
        """
        CREATE VIEW inbox_thread_summary AS
        SELECT p.user_id, t.thread_id, t.kind, t.subject, t.started_by, t.interview_id, t.team_id, t.started_at_micros,
               (SELECT count(*) FROM inbox_messages m WHERE m.thread_id = t.thread_id) AS message_count,
               (SELECT m.sent_at_micros FROM inbox_messages m WHERE m.thread_id = t.thread_id
                ORDER BY m.position DESC LIMIT 1) AS last_message_at_micros,
               (SELECT count(*) FROM inbox_messages m
                WHERE m.thread_id = t.thread_id AND m.sender_id <> p.user_id
                  AND m.position > coalesce((SELECT max(o.position) FROM inbox_messages o
                                             WHERE o.thread_id = t.thread_id AND o.sender_id = p.user_id), 0)) AS unread_count
        FROM inbox_participants p JOIN inbox_threads t ON t.thread_id = p.thread_id
        """,
    ]
    public let queryIndexes = [
        "CREATE INDEX inbox_participants_by_user ON inbox_participants(user_id)",
        "CREATE INDEX inbox_messages_by_thread ON inbox_messages(thread_id, sender_id)",
    ]

    /// A user's threads, most recent activity first (`?1`: the user id).
    public static let threadsQuery = """
        SELECT thread_id, kind, subject, started_by, interview_id, team_id, message_count, unread_count,
               last_message_at_micros
        FROM inbox_thread_summary WHERE user_id = ?1
        ORDER BY coalesce(last_message_at_micros, started_at_micros) DESC, thread_id
        """

    /// The messages of a user's threads (`?1`: the user id), threads in the order of `threadsQuery`,
    /// each thread's messages in order; `seq` is 1 for a thread's first message.
    public static let messagesQuery = """
        WITH threads AS (
            SELECT thread_id, kind, coalesce(last_message_at_micros, started_at_micros) AS activity
            FROM inbox_thread_summary WHERE user_id = ?1
        ), numbered AS (
            SELECT m.thread_id, row_number() OVER (PARTITION BY m.thread_id ORDER BY m.position) AS seq,
                   m.message_id, m.sender_id, m.body, m.sent_at_micros, th.kind, th.activity
            FROM threads th JOIN inbox_messages m ON m.thread_id = th.thread_id
        )
        SELECT thread_id, seq, message_id, sender_id, body, (seq = 1 AND kind = 'interview') AS is_interview_invitation,
               sent_at_micros
        FROM numbered ORDER BY activity DESC, thread_id, seq
        """

    /// A user's unread messages over all their threads (`?1`: the user id).
    public static let unreadTotalQuery = "SELECT coalesce(sum(unread_count), 0) FROM inbox_thread_summary WHERE user_id = ?1"

    public func apply(_ event: MarketplaceEvent, envelope: EventEnvelope, in context: ProjectionContext) throws {
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
                try context.execute(1, "INSERT INTO inbox_participants (thread_id, user_id) VALUES (?, ?)") {
                    $0.bind(1, e.threadId); $0.bind(2, participant)
                }
            }
        case .messageSent(let e):
            try context.execute(2, """
                INSERT INTO inbox_messages (position, thread_id, message_id, sender_id, sent_at_micros, body)
                VALUES (?, ?, ?, ?, ?, ?)
                """) {
                $0.bind(1, envelope.position); $0.bind(2, e.threadId); $0.bind(3, e.messageId); $0.bind(4, e.senderId)
                $0.bind(5, now); $0.bind(6, e.body)
            }
        case .contactDetailsShared(let e):
            try context.execute(3, """
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
