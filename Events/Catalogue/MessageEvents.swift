// The catalogue's event types. Field lists are in sorted key order, as the payloads are written.

/// A Message Center thread began: for an interview, a user-to-user message, or from a team room.
/// Stream: `thread-<threadId>`.
///
/// v1 fields: `interviewId` (optional), `kind`, `participants`, `startedBy`, `subject`, `teamId` (optional), `threadId`.
public struct ThreadStarted: EventPayload {
    public static let eventType = "ThreadStarted"
    public static let schemaVersion: UInt16 = 1
    public var interviewId: String?
    public var kind: ThreadKind
    public var participants: [String]
    public var startedBy: String
    public var subject: String
    public var teamId: String?
    public var threadId: String

    public init(interviewId: String? = nil, kind: ThreadKind, participants: [String], startedBy: String, subject: String, teamId: String? = nil, threadId: String) {
        self.interviewId = interviewId
        self.kind = kind
        self.participants = participants
        self.startedBy = startedBy
        self.subject = subject
        self.teamId = teamId
        self.threadId = threadId
    }

    public var stream: String { StreamName.thread(threadId) }
    public var event: MarketplaceEvent { .threadStarted(self) }

    public init(reading reader: inout FlatJSONReader) throws(FlatJSONError) {
        var interviewId: String?
        var kind: ThreadKind?
        var participants: [String]?
        var startedBy: String?
        var subject: String?
        var teamId: String?
        var threadId: String?
        while try reader.nextKey() {
            if reader.isKey("interviewId") {
                interviewId = try reader.optionalString("interviewId")
            } else if reader.isKey("kind") {
                kind = try reader.value("kind", as: ThreadKind.self)
            } else if reader.isKey("participants") {
                participants = try reader.strings("participants")
            } else if reader.isKey("startedBy") {
                startedBy = try reader.string("startedBy")
            } else if reader.isKey("subject") {
                subject = try reader.string("subject")
            } else if reader.isKey("teamId") {
                teamId = try reader.optionalString("teamId")
            } else if reader.isKey("threadId") {
                threadId = try reader.string("threadId")
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            interviewId: interviewId,
            kind: try FlatJSONReader.required(kind, "kind"),
            participants: try FlatJSONReader.required(participants, "participants"),
            startedBy: try FlatJSONReader.required(startedBy, "startedBy"),
            subject: try FlatJSONReader.required(subject, "subject"),
            teamId: teamId,
            threadId: try FlatJSONReader.required(threadId, "threadId")
        )
    }

    public func write(to writer: inout FlatJSONWriter) {
        writer.field("interviewId", interviewId)
        writer.field("kind", kind)
        writer.field("participants", participants)
        writer.field("startedBy", startedBy)
        writer.field("subject", subject)
        writer.field("teamId", teamId)
        writer.field("threadId", threadId)
    }
}

/// A participant wrote a message in a thread (no attachments: user-to-user messages cannot carry any).
/// Stream: `thread-<threadId>`.
///
/// v1 fields: `body`, `messageId`, `senderId`, `threadId`.
public struct MessageSent: EventPayload {
    public static let eventType = "MessageSent"
    public static let schemaVersion: UInt16 = 1
    public var body: String
    public var messageId: String
    public var senderId: String
    public var threadId: String

    public init(body: String, messageId: String, senderId: String, threadId: String) {
        self.body = body
        self.messageId = messageId
        self.senderId = senderId
        self.threadId = threadId
    }

    public var stream: String { StreamName.thread(threadId) }
    public var event: MarketplaceEvent { .messageSent(self) }

    public init(reading reader: inout FlatJSONReader) throws(FlatJSONError) {
        var body: String?
        var messageId: String?
        var senderId: String?
        var threadId: String?
        while try reader.nextKey() {
            if reader.isKey("body") {
                body = try reader.string("body")
            } else if reader.isKey("messageId") {
                messageId = try reader.string("messageId")
            } else if reader.isKey("senderId") {
                senderId = try reader.string("senderId")
            } else if reader.isKey("threadId") {
                threadId = try reader.string("threadId")
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            body: try FlatJSONReader.required(body, "body"),
            messageId: try FlatJSONReader.required(messageId, "messageId"),
            senderId: try FlatJSONReader.required(senderId, "senderId"),
            threadId: try FlatJSONReader.required(threadId, "threadId")
        )
    }

    public func write(to writer: inout FlatJSONWriter) {
        writer.field("body", body)
        writer.field("messageId", messageId)
        writer.field("senderId", senderId)
        writer.field("threadId", threadId)
    }
}

/// A participant shared contact details with the thread: only the marketplace address, or a personal address (and phone).
/// Stream: `thread-<threadId>`.
///
/// v1 fields: `email`, `kind`, `phone` (optional), `threadId`, `userId`.
public struct ContactDetailsShared: EventPayload {
    public static let eventType = "ContactDetailsShared"
    public static let schemaVersion: UInt16 = 1
    public var email: String
    public var kind: ContactKind
    public var phone: String?
    public var threadId: String
    public var userId: String

    public init(email: String, kind: ContactKind, phone: String? = nil, threadId: String, userId: String) {
        self.email = email
        self.kind = kind
        self.phone = phone
        self.threadId = threadId
        self.userId = userId
    }

    public var stream: String { StreamName.thread(threadId) }
    public var event: MarketplaceEvent { .contactDetailsShared(self) }

    public init(reading reader: inout FlatJSONReader) throws(FlatJSONError) {
        var email: String?
        var kind: ContactKind?
        var phone: String?
        var threadId: String?
        var userId: String?
        while try reader.nextKey() {
            if reader.isKey("email") {
                email = try reader.string("email")
            } else if reader.isKey("kind") {
                kind = try reader.value("kind", as: ContactKind.self)
            } else if reader.isKey("phone") {
                phone = try reader.optionalString("phone")
            } else if reader.isKey("threadId") {
                threadId = try reader.string("threadId")
            } else if reader.isKey("userId") {
                userId = try reader.string("userId")
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            email: try FlatJSONReader.required(email, "email"),
            kind: try FlatJSONReader.required(kind, "kind"),
            phone: phone,
            threadId: try FlatJSONReader.required(threadId, "threadId"),
            userId: try FlatJSONReader.required(userId, "userId")
        )
    }

    public func write(to writer: inout FlatJSONWriter) {
        writer.field("email", email)
        writer.field("kind", kind)
        writer.field("phone", phone)
        writer.field("threadId", threadId)
        writer.field("userId", userId)
    }
}
