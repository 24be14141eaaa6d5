// The catalogue's event types. Field lists are in sorted key order, as the payloads are written.

/// A Message Center thread began: for an interview, a user-to-user message, or from a team room.
public struct ThreadStarted: EventPayload {
    public var interviewId: String?
    public var kind: ThreadKind = .direct
    public var participants: [String] = []
    public var startedBy: String = ""
    public var subject: String = ""
    public var teamId: String?
    public var threadId: String = ""

    public init(interviewId: String? = nil, kind: ThreadKind, participants: [String], startedBy: String, subject: String, teamId: String? = nil, threadId: String) {
        self.interviewId = interviewId
        self.kind = kind
        self.participants = participants
        self.startedBy = startedBy
        self.subject = subject
        self.teamId = teamId
        self.threadId = threadId
    }

    public init() {}

    public static let declaration = EventDeclaration<ThreadStarted>(
        "ThreadStarted", version: 1, case: MarketplaceEvent.threadStarted, stream: (.thread, \.threadId),
        fields: [PayloadField("interviewId", \.interviewId), PayloadField("kind", \.kind),
                 PayloadField("participants", \.participants), PayloadField("startedBy", \.startedBy),
                 PayloadField("subject", \.subject), PayloadField("teamId", \.teamId),
                 PayloadField("threadId", \.threadId)])
}

/// A participant wrote a message in a thread (no attachments: user-to-user messages cannot carry any).
public struct MessageSent: EventPayload {
    public var body: String = ""
    public var messageId: String = ""
    public var senderId: String = ""
    public var threadId: String = ""

    public init(body: String, messageId: String, senderId: String, threadId: String) {
        self.body = body
        self.messageId = messageId
        self.senderId = senderId
        self.threadId = threadId
    }

    public init() {}

    public static let declaration = EventDeclaration<MessageSent>(
        "MessageSent", version: 1, case: MarketplaceEvent.messageSent, stream: (.thread, \.threadId),
        fields: [PayloadField("body", \.body), PayloadField("messageId", \.messageId),
                 PayloadField("senderId", \.senderId), PayloadField("threadId", \.threadId)])
}

/// A participant shared contact details with the thread: only the marketplace address, or a personal address (and phone).
public struct ContactDetailsShared: EventPayload {
    public var email: String = ""
    public var kind: ContactKind = .marketplaceAddress
    public var phone: String?
    public var threadId: String = ""
    public var userId: String = ""

    public init(email: String, kind: ContactKind, phone: String? = nil, threadId: String, userId: String) {
        self.email = email
        self.kind = kind
        self.phone = phone
        self.threadId = threadId
        self.userId = userId
    }

    public init() {}

    public static let declaration = EventDeclaration<ContactDetailsShared>(
        "ContactDetailsShared", version: 1, case: MarketplaceEvent.contactDetailsShared, stream: (.thread, \.threadId),
        fields: [PayloadField("email", \.email), PayloadField("kind", \.kind), PayloadField("phone", \.phone),
                 PayloadField("threadId", \.threadId), PayloadField("userId", \.userId)])
}
