// The catalogue's event types: each declares its stored properties (in sorted key order, as the payloads
// are written), its blank `init()` and its declaration; the memberwise initialiser and the field list
// follow from the properties (EventPayloads+Generated.swift, written by Tools/generate-catalogue).

/// A buyer or provider company posted a job, public or private.
public struct JobPosted: EventPayload {
    public var description: String = ""
    public var jobId: String = ""
    public var postedBy: String = ""
    public var purpose: JobPurpose = .work
    public var title: String = ""
    public var visibility: JobVisibility = .private

    public init() {}

    public static let declaration = EventDeclaration<JobPosted>(
        "JobPosted", version: 1, case: MarketplaceEvent.jobPosted, stream: (.job, \.jobId))
}

/// The job's poster invited a provider to an interview; the invitation message opens thread `threadId`.
public struct InterviewRequested: EventPayload {
    public var interviewId: String = ""
    public var jobId: String = ""
    public var providerId: String = ""
    public var requestedBy: String = ""
    public var threadId: String = ""

    public init() {}

    public static let declaration = EventDeclaration<InterviewRequested>(
        "InterviewRequested", version: 1, case: MarketplaceEvent.interviewRequested, stream: (.interview, \.interviewId))
}

/// The provider accepted the interview.
public struct InterviewAccepted: EventPayload {
    public var interviewId: String = ""
    public var providerId: String = ""

    public init() {}

    public static let declaration = EventDeclaration<InterviewAccepted>(
        "InterviewAccepted", version: 1, case: MarketplaceEvent.interviewAccepted, stream: (.interview, \.interviewId))
}

/// The provider declined the interview, optionally saying why.
public struct InterviewDeclined: EventPayload {
    public var interviewId: String = ""
    public var providerId: String = ""
    public var reason: String?

    public init() {}

    public static let declaration = EventDeclaration<InterviewDeclined>(
        "InterviewDeclined", version: 1, case: MarketplaceEvent.interviewDeclined, stream: (.interview, \.interviewId))
}
