// The catalogue's event types: each declares its stored properties (in sorted key order, as the payloads
// are written), its blank `init()` and its declaration; the memberwise initialiser and the field list
// follow from the properties (EventPayloads+Generated.swift, written by Tools/generate-catalogue).

/// A Message Center thread began: for an interview, a user-to-user message, or from a team room.
public struct ThreadStarted: EventPayload {
    public var interviewId: String?
    public var kind: ThreadKind = .direct
    public var participants: [String] = []
    public var startedBy: String = ""
    public var subject: String = ""
    public var teamId: String?
    public var threadId: String = ""

    public init() {}

    public static let declaration = EventDeclaration<ThreadStarted>(
        "ThreadStarted", version: 1, case: MarketplaceEvent.threadStarted, stream: (.thread, \.threadId))
}

/// A participant wrote a message in a thread (no attachments: user-to-user messages cannot carry any).
public struct MessageSent: EventPayload {
    public var body: String = ""
    public var messageId: String = ""
    public var senderId: String = ""
    public var threadId: String = ""

    public init() {}

    public static let declaration = EventDeclaration<MessageSent>(
        "MessageSent", version: 1, case: MarketplaceEvent.messageSent, stream: (.thread, \.threadId))
}

/// A participant shared contact details with the thread: only the marketplace address, or a personal address (and phone).
public struct ContactDetailsShared: EventPayload {
    public var email: String = ""
    public var kind: ContactKind = .marketplaceAddress
    public var phone: String?
    public var threadId: String = ""
    public var userId: String = ""

    public init() {}

    public static let declaration = EventDeclaration<ContactDetailsShared>(
        "ContactDetailsShared", version: 1, case: MarketplaceEvent.contactDetailsShared, stream: (.thread, \.threadId))
}
